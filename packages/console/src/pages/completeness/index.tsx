import { useMemo, useState } from 'react';
import { List } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { DatePicker, Form, InputNumber, Select, Space, Table, Tooltip, Typography } from 'antd';
import { formatRate, thisYear, useGql } from '../../components/api';
import { DATE_FORMAT } from '../../components/format';
import { dateItemProps } from '../../components/formatted';
import { REPORT_TYPES, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useProgramOptions } from '../my-deadlines';
import { ExportButton } from '../../components/export-button';

export interface CompletenessRow {
  unit: { id: string; code: string; name: string } | null;
  type: string | null;
  year: number | null;
  expected: number;
  actual: number;
  onTime: number;
  reportingRate: string | null;
  onTimeRate: string | null;
}

const QUERY = `query($filter: CompletenessFilter, $groupBy: [CompletenessDimension!]!, $unitLevel: Int, $asOf: Date) {
  reportingCompleteness(filter: $filter, groupBy: $groupBy, unitLevel: $unitLevel, asOf: $asOf) {
    unit { id code name } type year expected actual onTime reportingRate onTimeRate
  }
}`;

export function useCompleteness(filter: Record<string, unknown>, groupBy: string[], unitLevel?: number | null, asOf?: string | null) {
  return useGql<{ reportingCompleteness: CompletenessRow[] }>('completeness', QUERY, {
    filter,
    groupBy,
    unitLevel: unitLevel ?? null,
    asOf: asOf ?? null,
  });
}

type Verdict = 'onTime' | 'late' | 'missing' | 'none';
/** On time when every expected report came in time; late when all came but some late; missing otherwise. */
export const verdict = (r: CompletenessRow | undefined): Verdict =>
  !r || r.expected === 0 ? 'none' : r.onTime >= r.expected ? 'onTime' : r.actual >= r.expected ? 'late' : 'missing';
export const VERDICT_STYLE: Record<Verdict, { background: string; color: string }> = {
  onTime: { background: '#d9f2e1', color: '#135c2e' },
  late: { background: '#fff1c2', color: '#7a5200' },
  missing: { background: '#ffd9d6', color: '#a8071a' },
  none: { background: '#fafafa', color: '#bfbfbf' },
};

interface MatrixRow {
  key: string;
  unit: string;
  cells: Record<string, CompletenessRow>;
}

/** Units × report types, each cell coloured on time / late / missing, with the counts behind it. */
export default function CompletenessPage() {
  const t = useTranslate();
  const programs = useProgramOptions();
  const [search, setSearch] = useState<{ programId?: string; year?: number; underUnit?: string; unitLevel?: number; asOf?: string }>({
    year: thisYear(),
  });
  const filter = useMemo(() => {
    const f: Record<string, unknown> = {};
    if (search.programId) f.programId = search.programId;
    if (search.year) f.year = search.year;
    if (search.underUnit) f.underUnit = search.underUnit;
    return f;
  }, [search]);
  const { data, isLoading } = useCompleteness(filter, ['UNIT', 'TYPE'], search.unitLevel, search.asOf);
  const { rows, types } = useMemo(() => {
    const all = data?.reportingCompleteness ?? [];
    const present = new Set(all.map((r) => r.type ?? ''));
    const types = REPORT_TYPES.filter((type) => present.has(type));
    const map = new Map<string, MatrixRow>();
    for (const r of all) {
      const key = r.unit?.id ?? '';
      if (!map.has(key)) map.set(key, { key, unit: r.unit?.name ?? '—', cells: {} });
      map.get(key)!.cells[r.type ?? ''] = r;
    }
    return { rows: [...map.values()].sort((a, b) => a.unit.localeCompare(b.unit, 'vi')), types };
  }, [data]);

  return (
    <List
      title={t('completeness.title')}
      headerButtons={
        <ExportButton
          list="reportingCompleteness"
          filter={{ filter, groupBy: ['UNIT', 'TYPE'], unitLevel: search.unitLevel ?? null, asOf: search.asOf ?? null }}
        />
      }
    >
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} initialValues={search} onValuesChange={(_, all) => setSearch(all)}>
        <Form.Item name="programId">
          <Select allowClear placeholder={t('programs.programs')} options={programs} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="year">
          <YearInput placeholder={t('fundingAllocations.fields.year')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="underUnit">
          <UnitSelect placeholder={t('completeness.underUnit')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="unitLevel">
          <InputNumber min={0} max={5} placeholder={t('completeness.unitLevel')} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="asOf" {...dateItemProps}>
          <DatePicker format={DATE_FORMAT} placeholder={t('completeness.asOf')} />
        </Form.Item>
      </Form>
      <Space wrap style={{ marginBottom: 12 }} data-testid="completeness-legend">
        {(['onTime', 'late', 'missing', 'none'] as Verdict[]).map((v) => (
          <span key={v} style={{ ...VERDICT_STYLE[v], padding: '2px 10px', borderRadius: 4, fontSize: 12 }}>
            {t(`completeness.verdict.${v}`)}
          </span>
        ))}
      </Space>
      <Table<MatrixRow>
        rowKey="key"
        size="small"
        bordered
        loading={isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="completeness-matrix"
        locale={{ emptyText: t('completeness.empty') }}
        columns={[
          { title: t('completeness.unit'), dataIndex: 'unit', fixed: 'left' },
          ...types.map((type) => ({
            title: (
              <span style={{ whiteSpace: 'normal', display: 'inline-block', maxWidth: 140 }}>{t(`enums.ReportType.${type}`, type)}</span>
            ),
            key: type,
            align: 'center' as const,
            onCell: (r: MatrixRow) => ({ style: VERDICT_STYLE[verdict(r.cells[type])], 'data-verdict': verdict(r.cells[type]) }) as object,
            render: (_: unknown, r: MatrixRow) => {
              const c = r.cells[type];
              if (!c || c.expected === 0) return '—';
              return (
                <Tooltip
                  title={`${t('completeness.expected')}: ${c.expected} · ${t('completeness.actual')}: ${c.actual} · ${t('completeness.onTime')}: ${c.onTime}`}
                >
                  <span>
                    {c.actual}/{c.expected}
                    {c.onTime < c.actual && (
                      <Typography.Text style={{ color: 'inherit', fontSize: 11 }}>
                        {' '}
                        ({t('completeness.lateCount', { count: c.actual - c.onTime })})
                      </Typography.Text>
                    )}
                  </span>
                </Tooltip>
              );
            },
          })),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        {t('completeness.hint')}
      </Typography.Paragraph>
      {rows.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('completeness.overall', {
            rate: formatRate(
              rows.reduce((s, r) => s + Object.values(r.cells).reduce((a, c) => a + c.actual, 0), 0) /
                Math.max(
                  1,
                  rows.reduce((s, r) => s + Object.values(r.cells).reduce((a, c) => a + c.expected, 0), 0),
                ),
            ),
          })}
        </Typography.Paragraph>
      )}
    </List>
  );
}
