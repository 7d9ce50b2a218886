import type { ListDef } from '../../graphql/list';
import { unitList } from '../units/unit.list';
import { allocationList, disbursementList } from '../funding/funding.list';
import { indicatorList, indicatorTargetList, indicatorValueList } from '../indicators/indicator.list';
import { programList, componentList } from '../programs/program.list';
import { userList, apiKeyList } from '../users/user.list';
import { auditList } from '../audit/audit.resolver';
import { planList, missionList, findingList, recommendationList, OVERDUE_SQL } from '../monitoring/monitoring.list';
import { obligationList, reportList } from '../reporting/reporting.list';
import { statusSql } from '../reporting/reporting.sql';
import type { ColumnKind, SheetColumn } from './export.write';

export interface ExportColumn extends SheetColumn {
  /** SQL over the list alias `t` and the entry's joins. */
  sql: string;
  kind: ColumnKind;
}

/** A list query that can be exported: the same list definition (filter, scope), its columns and order. */
export interface ExportEntry {
  def: ListDef<object>;
  sheet: string;
  fileBase: string;
  joins: string;
  /** A condition the list query adds to its filter and scope (users: no service accounts). */
  where?: string;
  orderBy: string;
  columns: ExportColumn[];
}

const col = (key: string, label: string, sql: string, kind: ColumnKind = 'text', width?: number): ExportColumn => ({
  key,
  label,
  sql,
  kind,
  width,
});

/** Yes/no in Vietnamese for a boolean SQL expression. */
const yesNo = (expr: string) => `CASE WHEN ${expr} THEN 'Có' ELSE 'Không' END`;
/** Codes of linked records, comma separated, in code order. */
const codes = (select: string) => `(SELECT string_agg(x.code, ', ' ORDER BY x.code) FROM (${select}) x)`;

/**
 * exportList's registry: list query name → list definition and columns. Columns carry codes (unit,
 * component, indicator) under the headers the importer reads, so an exported file imports back unchanged.
 */
export const EXPORTS: Record<string, ExportEntry> = {
  units: {
    def: unitList as ListDef<object>,
    sheet: 'Đơn vị',
    fileBase: 'don-vi',
    joins: 'LEFT JOIN unit p ON p.id = t.parent_id',
    orderBy: 't.path',
    columns: [
      col('code', 'Mã đơn vị', 't.code', 'text', 24),
      col('name', 'Tên đơn vị', 't.name', 'text', 40),
      col('kind', 'Loại', 't.kind::text'),
      col('parentCode', 'Mã đơn vị cấp trên', 'p.code', 'text', 24),
      col('validFrom', 'Hiệu lực từ', "to_char(t.valid_from, 'YYYY-MM-DD')", 'date'),
      col('validTo', 'Hiệu lực đến', "to_char(t.valid_to, 'YYYY-MM-DD')", 'date'),
    ],
  },
  fundingAllocations: {
    def: allocationList as ListDef<object>,
    sheet: 'Phân bổ vốn',
    fileBase: 'phan-bo-von',
    joins: 'JOIN unit u ON u.id = t.unit_id JOIN program_component c ON c.id = t.component_id',
    orderBy: 't.year, c.code, u.code, t.source',
    columns: [
      col('componentCode', 'Mã dự án', 'c.code', 'text', 14),
      col('componentName', 'Tên dự án', 'c.name', 'text', 40),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('unitName', 'Tên đơn vị', 'u.name', 'text', 28),
      col('year', 'Năm', 't.year', 'int', 8),
      col('source', 'Nguồn vốn', 't.source::text', 'text', 20),
      col('plannedAmount', 'Kế hoạch vốn', 't.planned_amount::text', 'money', 20),
      col('allocatedAmount', 'Vốn được giao', 't.allocated_amount::text', 'money', 20),
      col('disbursedAmount', 'Đã giải ngân', 't.disbursed_amount::text', 'money', 20),
      col('decisionRef', 'Số quyết định', 't.decision_ref', 'text', 24),
    ],
  },
  disbursements: {
    def: disbursementList as ListDef<object>,
    sheet: 'Giải ngân',
    fileBase: 'giai-ngan',
    joins:
      'JOIN funding_allocation a ON a.id = t.allocation_id JOIN unit u ON u.id = t.unit_id JOIN program_component c ON c.id = a.component_id',
    orderBy: 't.date, t.id',
    columns: [
      col('componentCode', 'Mã dự án', 'c.code', 'text', 14),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('unitName', 'Tên đơn vị', 'u.name', 'text', 28),
      col('year', 'Năm', 'a.year', 'int', 8),
      col('source', 'Nguồn vốn', 'a.source::text', 'text', 20),
      col('date', 'Ngày giải ngân', "to_char(t.date, 'YYYY-MM-DD')", 'date', 14),
      col('amount', 'Số tiền', 't.amount::text', 'money', 20),
      col('reference', 'Số chứng từ', 't.reference', 'text', 24),
    ],
  },
  indicatorValues: {
    def: indicatorValueList as ListDef<object>,
    sheet: 'Giá trị chỉ tiêu',
    fileBase: 'gia-tri-chi-tieu',
    joins: 'JOIN indicator i ON i.id = t.indicator_id JOIN unit u ON u.id = t.unit_id',
    orderBy: 'i.code, u.code, t.year, t.period',
    columns: [
      col('indicatorCode', 'Mã chỉ tiêu', 'i.code', 'text', 16),
      col('indicatorName', 'Tên chỉ tiêu', 'i.name', 'text', 40),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('unitName', 'Tên đơn vị', 'u.name', 'text', 28),
      col('year', 'Năm', 't.year', 'int', 8),
      col('period', 'Kỳ', 't.period::text', 'text', 8),
      col('value', 'Giá trị', 't.value::text', 'decimal', 14),
      col('textValue', 'Nội dung', 't.text_value', 'text', 30),
      col('numerator', 'Tử số', 't.numerator::text', 'decimal', 14),
      col('denominator', 'Mẫu số', 't.denominator::text', 'decimal', 14),
    ],
  },
  indicatorTargets: {
    def: indicatorTargetList as ListDef<object>,
    sheet: 'Mục tiêu chỉ tiêu',
    fileBase: 'muc-tieu-chi-tieu',
    joins: 'JOIN indicator i ON i.id = t.indicator_id JOIN unit u ON u.id = t.unit_id',
    orderBy: 'i.code, u.code, t.year NULLS FIRST',
    columns: [
      col('indicatorCode', 'Mã chỉ tiêu', 'i.code', 'text', 16),
      col('indicatorName', 'Tên chỉ tiêu', 'i.name', 'text', 40),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('year', 'Năm', 't.year', 'int', 8),
      col('baseline', 'Mức cơ sở', 't.baseline::text', 'decimal', 14),
      col('target', 'Mục tiêu', 't.target::text', 'decimal', 14),
    ],
  },
  indicators: {
    def: indicatorList as ListDef<object>,
    sheet: 'Chỉ tiêu',
    fileBase: 'chi-tieu',
    joins: 'LEFT JOIN program_component c ON c.id = t.component_id',
    orderBy: 't.code',
    columns: [
      col('code', 'Mã chỉ tiêu', 't.code', 'text', 16),
      col('name', 'Tên chỉ tiêu', 't.name', 'text', 50),
      col('unitOfMeasure', 'Đơn vị tính', 't.unit_of_measure', 'text', 14),
      col('measure', 'Cách đo', 't.measure::text'),
      col('direction', 'Chiều', 't.direction::text'),
      col('aggregation', 'Cách tổng hợp', 't.aggregation::text'),
      col('componentCode', 'Mã dự án', 'c.code', 'text', 14),
    ],
  },
  programs: {
    def: programList as ListDef<object>,
    sheet: 'Chương trình',
    fileBase: 'chuong-trinh',
    joins: '',
    orderBy: 't.start_year, t.code',
    columns: [
      col('code', 'Mã chương trình', 't.code', 'text', 16),
      col('name', 'Tên chương trình', 't.name', 'text', 50),
      col('startYear', 'Năm bắt đầu', 't.start_year', 'int', 12),
      col('endYear', 'Năm kết thúc', 't.end_year', 'int', 12),
      col('decisionRef', 'Số quyết định', 't.decision_ref', 'text', 24),
    ],
  },
  programComponents: {
    def: componentList as ListDef<object>,
    sheet: 'Dự án thành phần',
    fileBase: 'du-an-thanh-phan',
    joins: 'JOIN program p ON p.id = t.program_id LEFT JOIN program_component pc ON pc.id = t.parent_id',
    orderBy: 'p.code, t.code',
    columns: [
      col('programCode', 'Mã chương trình', 'p.code', 'text', 16),
      col('code', 'Mã dự án', 't.code', 'text', 14),
      col('name', 'Tên dự án', 't.name', 'text', 50),
      col('kind', 'Loại', 't.kind::text', 'text', 14),
      col('parentCode', 'Mã dự án cấp trên', 'pc.code', 'text', 16),
    ],
  },
  users: {
    def: userList as ListDef<object>,
    sheet: 'Người dùng',
    fileBase: 'nguoi-dung',
    joins: 'LEFT JOIN unit u ON u.id = t.unit_id',
    where: 't.service_account = false',
    orderBy: 't.username',
    columns: [
      col('username', 'Tên đăng nhập', 't.username', 'text', 20),
      col('displayName', 'Họ và tên', 't.display_name', 'text', 30),
      col('role', 'Vai trò', 't.role::text', 'text', 18),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('unitName', 'Tên đơn vị', 'u.name', 'text', 30),
      col('disabled', 'Bị khóa', yesNo('t.disabled'), 'text', 10),
    ],
  },
  apiKeys: {
    def: apiKeyList as ListDef<object>,
    sheet: 'Khóa API',
    fileBase: 'khoa-api',
    joins: 'JOIN unit u ON u.id = t.unit_id LEFT JOIN app_user su_user ON su_user.id = t.service_user_id',
    orderBy: 't.created_at',
    columns: [
      col('name', 'Tên khóa', 't.name', 'text', 24),
      col('prefix', 'Tiền tố', 't.prefix', 'text', 14),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('serviceUser', 'Tài khoản dịch vụ', 'su_user.username', 'text', 24),
      col('createdAt', 'Tạo lúc', 't.created_at', 'datetime', 18),
      col('lastUsedAt', 'Dùng lần cuối', 't.last_used_at', 'datetime', 18),
      col('revokedAt', 'Thu hồi lúc', 't.revoked_at', 'datetime', 18),
    ],
  },
  auditEvents: {
    def: auditList as ListDef<object>,
    sheet: 'Nhật ký',
    fileBase: 'nhat-ky',
    joins: 'LEFT JOIN unit u ON u.id = t.unit_id LEFT JOIN app_user au ON au.id = t.actor_id',
    orderBy: 't.at DESC',
    columns: [
      col('at', 'Thời điểm', 't.at', 'datetime', 18),
      col('actor', 'Người thực hiện', 'au.username', 'text', 20),
      col('operation', 'Thao tác', 't.operation', 'text', 24),
      col('entityType', 'Loại đối tượng', 't.entity_type', 'text', 18),
      col('entityId', 'Mã đối tượng', 't.entity_id', 'text', 12),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('outcome', 'Kết quả', 't.outcome', 'text', 12),
      col('message', 'Thông báo', 't.message', 'text', 40),
      col('requestId', 'Mã yêu cầu', 't.request_id', 'text', 24),
    ],
  },
  monitoringPlans: {
    def: planList as ListDef<object>,
    sheet: 'Kế hoạch giám sát',
    fileBase: 'ke-hoach-giam-sat',
    joins: 'JOIN unit u ON u.id = t.unit_id',
    orderBy: 't.year DESC, u.code',
    columns: [
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('unitName', 'Tên đơn vị', 'u.name', 'text', 30),
      col('year', 'Năm', 't.year', 'int', 8),
      col('title', 'Tên kế hoạch', 't.title', 'text', 50),
      col('documentRef', 'Số văn bản', 't.document_ref', 'text', 24),
    ],
  },
  missions: {
    def: missionList as ListDef<object>,
    sheet: 'Đoàn giám sát',
    fileBase: 'doan-giam-sat',
    joins: 'JOIN program p ON p.id = t.program_id JOIN unit u ON u.id = t.lead_unit_id',
    orderBy: 't.start_date',
    columns: [
      col('title', 'Tên đoàn giám sát', 't.title', 'text', 40),
      col('programCode', 'Mã chương trình', 'p.code', 'text', 16),
      col('leadUnitCode', 'Mã đơn vị chủ trì', 'u.code', 'text', 24),
      col(
        'targetUnitCodes',
        'Mã đơn vị được giám sát',
        codes('SELECT xu.code FROM mission_target_unit xt JOIN unit xu ON xu.id = xt.unit_id WHERE xt.mission_id = t.id'),
        'text',
        30,
      ),
      col(
        'componentCodes',
        'Mã dự án',
        codes('SELECT xc.code FROM mission_component xm JOIN program_component xc ON xc.id = xm.component_id WHERE xm.mission_id = t.id'),
        'text',
        20,
      ),
      col('startDate', 'Từ ngày', "to_char(t.start_date, 'YYYY-MM-DD')", 'date', 12),
      col('endDate', 'Đến ngày', "to_char(t.end_date, 'YYYY-MM-DD')", 'date', 12),
      col('status', 'Trạng thái', 't.status::text', 'text', 14),
      col('decisionRef', 'Số quyết định', 't.decision_ref', 'text', 20),
      col('cancelReason', 'Lý do hủy', 't.cancel_reason', 'text', 30),
    ],
  },
  findings: {
    def: findingList as ListDef<object>,
    sheet: 'Phát hiện',
    fileBase: 'phat-hien',
    joins: 'JOIN mission m ON m.id = t.mission_id JOIN unit u ON u.id = t.unit_id LEFT JOIN program_component c ON c.id = t.component_id',
    orderBy: 'm.start_date, t.created_at',
    columns: [
      col('missionTitle', 'Đoàn giám sát', 'm.title', 'text', 36),
      col('unitCode', 'Mã đơn vị', 'u.code', 'text', 24),
      col('componentCode', 'Mã dự án', 'c.code', 'text', 14),
      col('kind', 'Loại phát hiện', 't.kind::text', 'text', 16),
      col('description', 'Nội dung', 't.description', 'text', 60),
      col('createdAt', 'Ghi nhận lúc', 't.created_at', 'datetime', 18),
    ],
  },
  recommendations: {
    def: recommendationList as ListDef<object>,
    sheet: 'Kiến nghị',
    fileBase: 'kien-nghi',
    joins: 'JOIN mission m ON m.id = t.mission_id JOIN unit u ON u.id = t.addressee_id',
    orderBy: 't.due_date NULLS LAST, t.created_at',
    columns: [
      col('missionTitle', 'Đoàn giám sát', 'm.title', 'text', 36),
      col('addresseeCode', 'Mã đơn vị nhận kiến nghị', 'u.code', 'text', 24),
      col('addresseeName', 'Tên đơn vị nhận kiến nghị', 'u.name', 'text', 30),
      col('content', 'Nội dung kiến nghị', 't.content', 'text', 60),
      col('dueDate', 'Hạn xử lý', "to_char(t.due_date, 'YYYY-MM-DD')", 'date', 12),
      col('status', 'Trạng thái', 't.status::text', 'text', 14),
      col('overdue', 'Quá hạn', yesNo(OVERDUE_SQL), 'text', 10),
      col('resolution', 'Kết quả xử lý', 't.resolution', 'text', 40),
      col('resolvedAt', 'Xử lý xong lúc', 't.resolved_at', 'datetime', 18),
    ],
  },
  reportingObligations: {
    def: obligationList as ListDef<object>,
    sheet: 'Nghĩa vụ báo cáo',
    fileBase: 'nghia-vu-bao-cao',
    joins:
      'JOIN program p ON p.id = t.program_id JOIN unit u ON u.id = t.submitter_id LEFT JOIN program_component c ON c.id = t.component_id LEFT JOIN report r ON r.obligation_id = t.id',
    orderBy: 't.due_date',
    columns: [
      col('type', 'Loại báo cáo', 't.type::text', 'text', 22),
      col('title', 'Tiêu đề', 't.title', 'text', 50),
      col('programCode', 'Mã chương trình', 'p.code', 'text', 16),
      col('componentCode', 'Mã dự án', 'c.code', 'text', 14),
      col('submitterCode', 'Mã đơn vị báo cáo', 'u.code', 'text', 24),
      col('submitterName', 'Tên đơn vị báo cáo', 'u.name', 'text', 30),
      col(
        'recipientCodes',
        'Mã đơn vị nhận',
        codes('SELECT xu.code FROM reporting_obligation_recipient xr JOIN unit xu ON xu.id = xr.unit_id WHERE xr.obligation_id = t.id'),
        'text',
        24,
      ),
      col('year', 'Năm', 't.year', 'int', 8),
      col('dueDate', 'Hạn nộp', "to_char(t.due_date, 'YYYY-MM-DD')", 'date', 12),
      col('status', 'Trạng thái', statusSql('t', 'r'), 'text', 14),
      col('cancelReason', 'Lý do hủy', 't.cancel_reason', 'text', 30),
    ],
  },
  reports: {
    def: reportList as ListDef<object>,
    sheet: 'Báo cáo',
    fileBase: 'bao-cao',
    joins: 'JOIN reporting_obligation o ON o.id = t.obligation_id JOIN unit u ON u.id = o.submitter_id',
    orderBy: 'o.due_date',
    columns: [
      col('title', 'Tiêu đề', 't.title', 'text', 50),
      col('type', 'Loại báo cáo', 'o.type::text', 'text', 22),
      col('submitterCode', 'Mã đơn vị báo cáo', 'u.code', 'text', 24),
      col('submitterName', 'Tên đơn vị báo cáo', 'u.name', 'text', 30),
      col('year', 'Năm', 'o.year', 'int', 8),
      col('dueDate', 'Hạn nộp', "to_char(o.due_date, 'YYYY-MM-DD')", 'date', 12),
      col('status', 'Trạng thái', 't.status::text', 'text', 14),
      col('submittedAt', 'Nộp lúc', 't.submitted_at', 'datetime', 18),
      col('reviewedAt', 'Duyệt lúc', 't.reviewed_at', 'datetime', 18),
      col('returnReason', 'Lý do trả lại', 't.return_reason', 'text', 30),
    ],
  },
};
