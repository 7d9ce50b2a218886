/**
 * Reference data for Lai Châu and the district of Tam Đường (DOMAIN.md §1, §4, §5).
 * Codes are readable provisional codes (official numeric codes not confirmed); everything is editable.
 */
export interface UnitSeed {
  code: string;
  name: string;
  kind: 'PROVINCE' | 'DISTRICT' | 'COMMUNE' | 'AGENCY';
  parent?: string;
  validFrom?: string;
  validTo?: string;
  successors?: string[];
}

const END_OF_DISTRICTS = '2025-06-30';
const REFORM = '2025-07-01';

export const PROVINCE_CODE = 'LAICHAU';
export const DISTRICT_CODE = 'LAICHAU.TAMDUONG';

const districts: [string, string][] = [
  ['LAICHAU.TPLAICHAU', 'Thành phố Lai Châu'],
  [DISTRICT_CODE, 'Huyện Tam Đường'],
  ['LAICHAU.MUONGTE', 'Huyện Mường Tè'],
  ['LAICHAU.SINHO', 'Huyện Sìn Hồ'],
  ['LAICHAU.PHONGTHO', 'Huyện Phong Thổ'],
  ['LAICHAU.THANUYEN', 'Huyện Than Uyên'],
  ['LAICHAU.TANUYEN', 'Huyện Tân Uyên'],
  ['LAICHAU.NAMNHUN', 'Huyện Nậm Nhùn'],
];

/** Tam Đường's 13 commune-level units before 1/7/2025; successors only where the namesake is known. */
const communes: [string, string, string?][] = [
  ['TAMDUONG.TTTAMDUONG', 'Thị trấn Tam Đường'],
  ['TAMDUONG.BANBO', 'Xã Bản Bo', 'LAICHAU.BANBO'],
  ['TAMDUONG.BANGIANG', 'Xã Bản Giang'],
  ['TAMDUONG.BANHON', 'Xã Bản Hon'],
  ['TAMDUONG.BINHLU', 'Xã Bình Lư', 'LAICHAU.BINHLU'],
  ['TAMDUONG.GIANGMA', 'Xã Giang Ma'],
  ['TAMDUONG.HOTHAU', 'Xã Hồ Thầu'],
  ['TAMDUONG.KHUNHA', 'Xã Khun Há', 'LAICHAU.KHUNHA'],
  ['TAMDUONG.NATAM', 'Xã Nà Tăm'],
  ['TAMDUONG.NUNGNANG', 'Xã Nùng Nàng'],
  ['TAMDUONG.SONBINH', 'Xã Sơn Bình'],
  ['TAMDUONG.TALENG', 'Xã Tả Lèng', 'LAICHAU.TALENG'],
  ['TAMDUONG.THENSIN', 'Xã Thèn Sin'],
];

/** The four communes that replace former Tam Đường from 1/7/2025 (composition uncertain). */
const newCommunes: [string, string][] = [
  ['LAICHAU.BINHLU', 'Xã Bình Lư'],
  ['LAICHAU.BANBO', 'Xã Bản Bo'],
  ['LAICHAU.TALENG', 'Xã Tả Lèng'],
  ['LAICHAU.KHUNHA', 'Xã Khun Há'],
];

export const AGENCY = {
  labour: 'TAMDUONG.PLDTBXH',
  finance: 'TAMDUONG.PTCKH',
  agriculture: 'TAMDUONG.PNNPTNT',
  culture: 'TAMDUONG.PVHTT',
  health: 'TAMDUONG.TTYT',
  steering: 'TAMDUONG.BCD',
};

const agencies: [string, string][] = [
  [AGENCY.labour, 'Phòng Lao động - Thương binh và Xã hội huyện Tam Đường'],
  [AGENCY.finance, 'Phòng Tài chính - Kế hoạch huyện Tam Đường'],
  [AGENCY.agriculture, 'Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường'],
  [AGENCY.culture, 'Phòng Văn hóa và Thông tin huyện Tam Đường'],
  [AGENCY.health, 'Trung tâm Y tế huyện Tam Đường'],
  [AGENCY.steering, 'Ban Chỉ đạo các Chương trình mục tiêu quốc gia huyện Tam Đường'],
];

/**
 * The province's departments that receive the reports of units with no district above them (the communes
 * of 1/7/2025): since 2025 poverty reduction is under agriculture and environment (DOMAIN.md §1), and
 * planning merged into finance. Names are editable like every other seed name.
 */
export const PROVINCE_AGENCY = {
  standing: 'LAICHAU.SNNMT',
  finance: 'LAICHAU.STC',
};

export const UNITS: UnitSeed[] = [
  { code: PROVINCE_CODE, name: 'Tỉnh Lai Châu', kind: 'PROVINCE' },
  { code: PROVINCE_AGENCY.standing, name: 'Sở Nông nghiệp và Môi trường tỉnh Lai Châu', kind: 'AGENCY', parent: PROVINCE_CODE },
  { code: PROVINCE_AGENCY.finance, name: 'Sở Tài chính tỉnh Lai Châu', kind: 'AGENCY', parent: PROVINCE_CODE },
  ...newCommunes.map(([code, name]): UnitSeed => ({ code, name, kind: 'COMMUNE', parent: PROVINCE_CODE, validFrom: REFORM })),
  ...districts.map(
    ([code, name]): UnitSeed => ({
      code,
      name,
      kind: 'DISTRICT',
      parent: PROVINCE_CODE,
      validTo: END_OF_DISTRICTS,
      successors: code === DISTRICT_CODE ? newCommunes.map(([c]) => c) : undefined,
    }),
  ),
  ...communes.map(
    ([code, name, successor]): UnitSeed => ({
      code,
      name,
      kind: 'COMMUNE',
      parent: DISTRICT_CODE,
      validTo: END_OF_DISTRICTS,
      successors: successor ? [successor] : undefined,
    }),
  ),
  ...agencies.map(([code, name]): UnitSeed => ({ code, name, kind: 'AGENCY', parent: DISTRICT_CODE, validTo: END_OF_DISTRICTS })),
];

export const PROGRAM = {
  code: 'GNBV-2021-2025',
  name: 'Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025',
  startYear: 2021,
  endYear: 2025,
  decisionRef: 'Quyết định 90/QĐ-TTg ngày 18/01/2022',
};

/** [code, name, parent code, lead agency in Tam Đường]; names marked uncertain in DOMAIN.md are editable. */
export const COMPONENTS: [string, string, string | null, string | null][] = [
  [
    'DA1',
    'Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo',
    null,
    null,
  ],
  ['DA1.TDA1', 'Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo', 'DA1', null],
  ['DA1.TDA2', 'Hỗ trợ các huyện nghèo thoát khỏi tình trạng nghèo', 'DA1', null],
  ['DA2', 'Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo', null, AGENCY.agriculture],
  ['DA3', 'Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng', null, AGENCY.agriculture],
  ['DA3.TDA1', 'Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp', 'DA3', AGENCY.agriculture],
  ['DA3.TDA2', 'Cải thiện dinh dưỡng', 'DA3', AGENCY.health],
  ['DA4', 'Phát triển giáo dục nghề nghiệp, việc làm bền vững', null, AGENCY.labour],
  ['DA4.TDA1', 'Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn', 'DA4', AGENCY.labour],
  ['DA4.TDA2', 'Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng', 'DA4', AGENCY.labour],
  ['DA4.TDA3', 'Hỗ trợ việc làm bền vững', 'DA4', AGENCY.labour],
  ['DA5', 'Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo', null, null],
  ['DA6', 'Truyền thông và giảm nghèo về thông tin', null, AGENCY.culture],
  ['DA6.TDA1', 'Giảm nghèo về thông tin', 'DA6', AGENCY.culture],
  ['DA6.TDA2', 'Truyền thông về giảm nghèo đa chiều', 'DA6', AGENCY.culture],
  ['DA7', 'Nâng cao năng lực và giám sát, đánh giá Chương trình', null, AGENCY.labour],
  ['DA7.TDA1', 'Nâng cao năng lực thực hiện Chương trình', 'DA7', AGENCY.labour],
  ['DA7.TDA2', 'Giám sát, đánh giá', 'DA7', AGENCY.labour],
];

/** The district plan's deadline rules, at every level (DOMAIN.md §4). */
export const DEADLINE_RULES: {
  reportType: string;
  kind: string;
  date?: string;
  month?: number;
  day?: number;
  workingDays?: number;
  before: boolean;
}[] = [
  { reportType: 'MONITORING_MISSION', kind: 'WORKING_DAYS_AFTER_EVENT', workingDays: 10, before: false },
  { reportType: 'MONITORING_SEMIANNUAL', kind: 'YEARLY', month: 5, day: 15, before: true },
  { reportType: 'MONITORING_ANNUAL', kind: 'YEARLY', month: 11, day: 15, before: true },
  { reportType: 'EVALUATION_ANNUAL', kind: 'YEARLY', month: 11, day: 20, before: true },
  { reportType: 'EVALUATION_BASELINE', kind: 'FIXED_DATE', date: '2022-11-15', before: true },
  { reportType: 'EVALUATION_MIDTERM', kind: 'FIXED_DATE', date: '2023-08-15', before: true },
  { reportType: 'EVALUATION_FINAL', kind: 'FIXED_DATE', date: '2025-08-15', before: true },
  { reportType: 'MONITORING_ADHOC', kind: 'ON_REQUEST', before: false },
  { reportType: 'EVALUATION_ADHOC', kind: 'ON_REQUEST', before: false },
];

/** Reporting units of the program in Tam Đường: the communes and the steering committee's member agencies. */
export const REPORTING_UNITS: { code: string; validFrom?: string; validTo?: string }[] = [
  ...communes.map(([code]) => ({ code, validTo: END_OF_DISTRICTS })),
  ...[AGENCY.labour, AGENCY.finance, AGENCY.agriculture, AGENCY.culture, AGENCY.health].map((code) => ({
    code,
    validTo: END_OF_DISTRICTS,
  })),
  ...newCommunes.map(([code]) => ({ code, validFrom: REFORM })),
];

export const DEMO_PASSWORD = 'Demo@2025';

/** Demo users of each role for Tam Đường (SEED_DEMO). */
export const DEMO_USERS: { username: string; displayName: string; role: string; unit: string }[] = [
  { username: 'td.coordinator', displayName: 'Cán bộ Phòng LĐ-TB&XH (thường trực)', role: 'COORDINATOR', unit: AGENCY.labour },
  { username: 'td.agriculture', displayName: 'Cán bộ Phòng NN&PTNT', role: 'AGENCY_OFFICER', unit: AGENCY.agriculture },
  { username: 'td.health', displayName: 'Cán bộ Trung tâm Y tế', role: 'AGENCY_OFFICER', unit: AGENCY.health },
  { username: 'td.banbo', displayName: 'Cán bộ UBND xã Bản Bo', role: 'COMMUNE_OFFICER', unit: 'TAMDUONG.BANBO' },
  { username: 'td.binhlu', displayName: 'Cán bộ UBND xã Bình Lư', role: 'COMMUNE_OFFICER', unit: 'TAMDUONG.BINHLU' },
  { username: 'td.viewer', displayName: 'Lãnh đạo UBND huyện (xem)', role: 'VIEWER', unit: DISTRICT_CODE },
];
