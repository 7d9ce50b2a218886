import { ReportType } from '../programs/program.enums';

type Heading = [key: string, title: string];

/** Monitoring contents (DOMAIN.md §4, seed plan §III.1). */
const MONITORING: Heading[] = [
  ['direction', 'Công tác lãnh đạo, chỉ đạo, hướng dẫn của các cơ quan'],
  ['progress', 'Tiến độ, kết quả thực hiện so với mục tiêu, chỉ tiêu'],
  ['funds', 'Tình hình huy động, phân bổ và sử dụng nguồn vốn'],
  ['beneficiaries', 'Việc rà soát, bình xét, lựa chọn đối tượng thụ hưởng'],
  ['assignment', 'Việc phân công nhiệm vụ thành viên Ban Chỉ đạo cấp xã'],
  ['difficulties', 'Khó khăn, vướng mắc'],
  ['proposals', 'Đề xuất, kiến nghị với cấp tỉnh'],
];

/** Annual evaluation contents (seed plan §III.2). */
const ANNUAL: Heading[] = [
  ['policy', 'Kết quả ban hành chính sách, công tác quản lý, điều hành'],
  ['coordination', 'Công tác phối hợp, truyền thông; việc chấp hành giám sát của Hội đồng nhân dân'],
  ['funds', 'Kết quả huy động, phân bổ và sử dụng nguồn vốn'],
  ['achievement', 'Mức độ hoàn thành so với kế hoạch hằng năm và kế hoạch 5 năm'],
  ['problems', 'Tồn tại, hạn chế và nguyên nhân'],
  ['direction', 'Phương hướng, nhiệm vụ năm tiếp theo'],
];

const MIDTERM: Heading[] = [
  ...ANNUAL.slice(0, 5),
  ['targets', 'Kết quả thực hiện so với mục tiêu, chỉ tiêu được phê duyệt đến thời điểm đánh giá'],
  ['proposals', 'Đề xuất đến năm 2025, bao gồm điều chỉnh kế hoạch'],
];

const FINAL: Heading[] = [
  ['results', 'Hệ thống chính sách, nguồn vốn và mục tiêu so với phê duyệt'],
  ['impact', 'Tác động và hiệu quả đầu tư của Chương trình'],
  ['lessons', 'Bài học kinh nghiệm và đề xuất cho giai đoạn tiếp theo'],
  ['mitigation', 'Giảm thiểu tác động tiêu cực về xã hội, môi trường'],
];

const ADHOC: Heading[] = [
  ['results', 'Kết quả thực hiện so với mục tiêu đầu tư'],
  ['events', 'Sự việc phát sinh, nguyên nhân và trách nhiệm của từng cơ quan'],
  ['effects', 'Ảnh hưởng đến việc thực hiện mục tiêu, chỉ tiêu'],
  ['solutions', 'Giải pháp khắc phục'],
];

const BY_TYPE: Record<ReportType, Heading[]> = {
  [ReportType.MONITORING_MISSION]: MONITORING,
  [ReportType.MONITORING_SEMIANNUAL]: MONITORING,
  [ReportType.MONITORING_ANNUAL]: MONITORING,
  [ReportType.MONITORING_ADHOC]: MONITORING,
  [ReportType.EVALUATION_BASELINE]: ANNUAL,
  [ReportType.EVALUATION_ANNUAL]: ANNUAL,
  [ReportType.EVALUATION_MIDTERM]: MIDTERM,
  [ReportType.EVALUATION_FINAL]: FINAL,
  [ReportType.EVALUATION_ADHOC]: ADHOC,
};

/** The default sections of a new report: the headings of its type, empty. */
export function defaultSections(type: ReportType): { key: string; title: string; body: string }[] {
  return BY_TYPE[type].map(([key, title]) => ({ key, title, body: '' }));
}
