import type { ListDef } from '../../graphql/list';
import { unitList } from '../units/unit.list';
import { allocationList, disbursementList } from '../funding/funding.list';
import { indicatorList, indicatorTargetList, indicatorValueList } from '../indicators/indicator.list';
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
};
