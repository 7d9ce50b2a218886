import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../../db/sql';
import { DISTRICT_CODE, PROGRAM, UNITS } from '../../db/seed/reference-data';

type Row = [
  code: string,
  name: string,
  unitOfMeasure: string,
  measure: string,
  direction: string,
  aggregation: string,
  component: string | null,
];

/**
 * The program targets of DOMAIN.md §2 (QĐ 90/QĐ-TTg, NQ 24/2021/QH15) and output indicators per project.
 * Rates are RATIO indicators (numerator / denominator), never averages of rates. All editable.
 */
export const INDICATORS: Row[] = [
  ['CT.HN.TYLE', 'Tỷ lệ hộ nghèo đa chiều', '%', 'PERCENT', 'DECREASE', 'RATIO', null],
  ['CT.HN.DTTS.TYLE', 'Tỷ lệ hộ nghèo dân tộc thiểu số', '%', 'PERCENT', 'DECREASE', 'RATIO', null],
  ['CT.HCN.TYLE', 'Tỷ lệ hộ cận nghèo', '%', 'PERCENT', 'DECREASE', 'RATIO', null],
  ['CT.HN.HUYENNGHEO.TYLE', 'Tỷ lệ hộ nghèo ở các huyện nghèo', '%', 'PERCENT', 'DECREASE', 'RATIO', 'DA1'],
  ['CT.HUYENNGHEO.THOATNGHEO', 'Tỷ lệ huyện nghèo thoát khỏi tình trạng nghèo', '%', 'PERCENT', 'INCREASE', 'RATIO', 'DA1.TDA2'],
  [
    'CT.XABAINGANG.THOATNGHEO',
    'Tỷ lệ xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo thoát khỏi tình trạng nghèo',
    '%',
    'PERCENT',
    'INCREASE',
    'RATIO',
    'DA1',
  ],
  ['CT.HN.SO', 'Số hộ nghèo', 'hộ', 'NUMBER', 'DECREASE', 'LAST', null],
  ['CT.HCN.SO', 'Số hộ cận nghèo', 'hộ', 'NUMBER', 'DECREASE', 'LAST', null],
  ['CT.HNCN.SO', 'Số hộ nghèo và hộ cận nghèo (giảm một nửa so với đầu kỳ)', 'hộ', 'NUMBER', 'DECREASE', 'LAST', null],
  ['CT.HO.TONG', 'Tổng số hộ dân cư', 'hộ', 'NUMBER', 'INCREASE', 'LAST', null],
  ['CT.HO.DTTS', 'Số hộ dân tộc thiểu số', 'hộ', 'NUMBER', 'INCREASE', 'LAST', null],
  ['CT.TREEM.DIHOC.TYLE', 'Tỷ lệ trẻ em hộ nghèo, hộ cận nghèo đi học đúng độ tuổi', '%', 'PERCENT', 'INCREASE', 'RATIO', null],
  ['CT.DANHGIA', 'Đánh giá chung kết quả thực hiện Chương trình', '', 'QUALITATIVE', 'INCREASE', 'LAST', null],
  ['DA1.TDA1.CONGTRINH', 'Số công trình hạ tầng kinh tế - xã hội được đầu tư', 'công trình', 'NUMBER', 'INCREASE', 'SUM', 'DA1.TDA1'],
  ['DA2.MOHINH', 'Số mô hình, dự án giảm nghèo được triển khai', 'mô hình', 'NUMBER', 'INCREASE', 'SUM', 'DA2'],
  ['DA2.HO', 'Số hộ tham gia mô hình, dự án giảm nghèo', 'hộ', 'NUMBER', 'INCREASE', 'SUM', 'DA2'],
  ['DA3.TDA1.DUAN', 'Số dự án hỗ trợ phát triển sản xuất nông nghiệp', 'dự án', 'NUMBER', 'INCREASE', 'SUM', 'DA3.TDA1'],
  ['DA3.TDA1.HO', 'Số hộ được hỗ trợ phát triển sản xuất', 'hộ', 'NUMBER', 'INCREASE', 'SUM', 'DA3.TDA1'],
  ['DA3.TDA2.TRE', 'Số trẻ em được hỗ trợ cải thiện dinh dưỡng', 'người', 'NUMBER', 'INCREASE', 'SUM', 'DA3.TDA2'],
  ['DA3.TDA2.THAPCOI.TYLE', 'Tỷ lệ trẻ em dưới 16 tuổi suy dinh dưỡng thể thấp còi', '%', 'PERCENT', 'DECREASE', 'RATIO', 'DA3.TDA2'],
  ['DA4.TDA1.DAONGHE', 'Số người được đào tạo nghề', 'người', 'NUMBER', 'INCREASE', 'SUM', 'DA4.TDA1'],
  ['DA4.TDA2.XKLD', 'Số người lao động đi làm việc ở nước ngoài theo hợp đồng', 'người', 'NUMBER', 'INCREASE', 'SUM', 'DA4.TDA2'],
  ['DA4.TDA3.VIECLAM', 'Số người được hỗ trợ kết nối, tìm kiếm việc làm', 'người', 'NUMBER', 'INCREASE', 'SUM', 'DA4.TDA3'],
  ['DA5.NHAO', 'Số hộ nghèo, hộ cận nghèo được hỗ trợ nhà ở', 'hộ', 'NUMBER', 'INCREASE', 'SUM', 'DA5'],
  ['DA6.TDA1.NGHEXEM', 'Số hộ được hỗ trợ phương tiện nghe - xem', 'hộ', 'NUMBER', 'INCREASE', 'SUM', 'DA6.TDA1'],
  ['DA6.TDA2.TRUYENTHONG', 'Số hoạt động truyền thông về giảm nghèo đa chiều', 'hoạt động', 'NUMBER', 'INCREASE', 'SUM', 'DA6.TDA2'],
  ['DA7.TDA1.TAPHUAN', 'Số lượt cán bộ được tập huấn nâng cao năng lực', 'lượt người', 'NUMBER', 'INCREASE', 'SUM', 'DA7.TDA1'],
  ['DA7.TDA2.GIAMSAT', 'Số cuộc giám sát, đánh giá được thực hiện', 'cuộc', 'NUMBER', 'INCREASE', 'SUM', 'DA7.TDA2'],
];

export async function seedIndicatorCatalog(em: EntityManager): Promise<void> {
  for (const [code, name, uom, measure, direction, aggregation, component] of INDICATORS) {
    await sql(
      em,
      `INSERT INTO indicator (code, name, unit_of_measure, measure, direction, aggregation, component_id)
       VALUES (?, ?, ?, ?, ?, ?, (SELECT pc.id FROM program_component pc JOIN program p ON p.id = pc.program_id WHERE p.code = ? AND pc.code = ?))
       ON CONFLICT (code) DO NOTHING`,
      [code, name.normalize('NFC'), uom || null, measure, direction, aggregation, PROGRAM.code, component],
    );
  }
}

/** Household counts of one commune in one year (demo figures, not official statistics). */
export interface CommuneYear {
  all: number;
  poor: number;
  nearPoor: number;
  ethnicAll: number;
  ethnicPoor: number;
}

/** Deterministic demo figures: commune i of Tam Đường in `year` (2021 is the baseline year). */
export function demoFigures(i: number, year: number): CommuneYear {
  const k = year - 2021;
  const all = 500 + 60 * i + 8 * k;
  const poorPermille = 250 + 15 * (i % 7) - (14 + 2 * (i % 4)) * k;
  const poor = Math.floor((all * poorPermille) / 1000);
  const nearPoor = Math.floor((all * (90 + 5 * (i % 3) + 3 * k)) / 1000);
  const ethnicAll = Math.floor((all * (800 + 10 * (i % 10))) / 1000);
  const ethnicPoor = Math.min(ethnicAll, Math.floor((poor * 95) / 100));
  return { all, poor, nearPoor, ethnicAll, ethnicPoor };
}

export const DEMO_COMMUNES = UNITS.filter((u) => u.parent === DISTRICT_CODE && u.kind === 'COMMUNE').map((u) => u.code);
export const DEMO_YEARS = [2022, 2023, 2024];

/**
 * Poverty figures per Tam Đường commune 2022–2024 through the catalog, and the "−1.5 points a year"
 * goal as yearly target levels from the 2021 rate (per commune and for the district), plus phase targets.
 */
export async function seedIndicatorDemo(em: EntityManager): Promise<void> {
  const ids = new Map<string, string>();
  for (const r of await sql<{ id: string; code: string }>(em, 'SELECT id::text, code FROM indicator')) ids.set(r.code, r.id);
  const need = ['CT.HN.TYLE', 'CT.HCN.TYLE', 'CT.HN.DTTS.TYLE', 'CT.HN.SO', 'CT.HCN.SO', 'CT.HNCN.SO', 'CT.HO.TONG', 'CT.HO.DTTS'];
  if (need.some((c) => !ids.has(c))) return;
  const unitOf = async (code: string) => (await sqlOne<{ id: string }>(em, 'SELECT id::text FROM unit WHERE code = ?', [code]))?.id;
  const district = await unitOf(DISTRICT_CODE);
  if (!district) return;
  const value = (indicator: string, unit: string, year: number, v: number) =>
    sql(em, "INSERT INTO indicator_value (indicator_id, unit_id, year, period, value) VALUES (?, ?, ?, 'YEAR', ?) ON CONFLICT DO NOTHING", [
      ids.get(indicator),
      unit,
      year,
      v,
    ]);
  const ratio = (indicator: string, unit: string, year: number, num: number, den: number) =>
    sql(
      em,
      `INSERT INTO indicator_value (indicator_id, unit_id, year, period, value, numerator, denominator)
       VALUES (?, ?, ?, 'YEAR', CASE WHEN ?::numeric = 0 THEN NULL ELSE round(?::numeric * 100 / ?::numeric, 4) END, ?, ?) ON CONFLICT DO NOTHING`,
      [ids.get(indicator), unit, year, den, num, den, num, den],
    );
  /** Yearly levels: the target of year y is the 2021 rate minus `step` points per year since 2021. */
  const yearlyRateTargets = async (indicator: string, unit: string, num: number, den: number, step: string) => {
    for (const year of [2022, 2023, 2024, 2025]) {
      await sql(
        em,
        `INSERT INTO indicator_target (indicator_id, unit_id, year, baseline, target)
         SELECT ?, ?, ?, r - ?::numeric * ?, r - ?::numeric * ? FROM (SELECT round(?::numeric * 100 / ?::numeric, 4) AS r) x`,
        [ids.get(indicator), unit, year, step, year - 2022, step, year - 2021, num, den],
      );
    }
    await sql(
      em,
      `INSERT INTO indicator_target (indicator_id, unit_id, year, baseline, target)
       SELECT ?, ?, NULL, r, r - ?::numeric * 4 FROM (SELECT round(?::numeric * 100 / ?::numeric, 4) AS r) x`,
      [ids.get(indicator), unit, step, num, den],
    );
  };
  const total = { all: 0, poor: 0, nearPoor: 0, ethnicAll: 0, ethnicPoor: 0 };
  for (const [i, code] of DEMO_COMMUNES.entries()) {
    const unit = await unitOf(code);
    if (!unit) continue;
    for (const year of DEMO_YEARS) {
      const f = demoFigures(i, year);
      await ratio('CT.HN.TYLE', unit, year, f.poor, f.all);
      await ratio('CT.HCN.TYLE', unit, year, f.nearPoor, f.all);
      await ratio('CT.HN.DTTS.TYLE', unit, year, f.ethnicPoor, f.ethnicAll);
      await value('CT.HN.SO', unit, year, f.poor);
      await value('CT.HCN.SO', unit, year, f.nearPoor);
      await value('CT.HNCN.SO', unit, year, f.poor + f.nearPoor);
      await value('CT.HO.TONG', unit, year, f.all);
      await value('CT.HO.DTTS', unit, year, f.ethnicAll);
    }
    const base = demoFigures(i, 2021);
    for (const k of Object.keys(total) as (keyof CommuneYear)[]) total[k] += base[k];
    await yearlyRateTargets('CT.HN.TYLE', unit, base.poor, base.all, '1.5');
    await sql(em, 'INSERT INTO indicator_target (indicator_id, unit_id, year, baseline, target) VALUES (?, ?, NULL, ?, ?)', [
      ids.get('CT.HNCN.SO'),
      unit,
      base.poor + base.nearPoor,
      Math.floor((base.poor + base.nearPoor) / 2),
    ]);
  }
  await yearlyRateTargets('CT.HN.TYLE', district, total.poor, total.all, '1.5');
  await yearlyRateTargets('CT.HN.DTTS.TYLE', district, total.ethnicPoor, total.ethnicAll, '3');
  await sql(em, 'INSERT INTO indicator_target (indicator_id, unit_id, year, baseline, target) VALUES (?, ?, NULL, ?, ?)', [
    ids.get('CT.HNCN.SO'),
    district,
    total.poor + total.nearPoor,
    Math.floor((total.poor + total.nearPoor) / 2),
  ]);
}
