import { useMemo, useState } from 'react';
import { List } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Card, Empty, Form, Table, Typography } from 'antd';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRate, useGql } from '../../components/api';
import i18n from '../../providers/i18n';
import { formatMoney } from '../../components/format';
import { Money } from '../../components/formatted';
import { EnumSelect, FUNDING_SOURCES, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { ExportButton } from '../../components/export-button';

interface SummaryRow {
  year: number | null;
  source: string | null;
  project: { id: string; code: string; name: string } | null;
  plannedAmount: string;
  allocatedAmount: string;
  disbursedAmount: string;
  disbursementRate: string | null;
}

const SUMMARY = `query($filter: FundingAllocationFilter, $groupBy: [FundingDimension!]!) {
  fundingSummary(filter: $filter, groupBy: $groupBy) {
    year source project { id code name } plannedAmount allocatedAmount disbursedAmount disbursementRate
  }
}`;

/** Millions of VND for chart axes (display only; the table shows exact amounts). */
const millions = (v: string) => Number(BigInt(v) / 1_000_000n);

interface PivotRow {
  key: string;
  project: string;
  projectName: string;
  source: string;
  cells: Record<number, SummaryRow>;
}

export function useFundingSummary(filter: Record<string, unknown> | undefined, groupBy: string[]) {
  return useGql<{ fundingSummary: SummaryRow[] }>('fundingSummary', SUMMARY, { filter, groupBy });
}

/** Allocated and disbursed per project, in millions of VND. */
export function FundingChart({ rows, height = 320 }: { rows: SummaryRow[]; height?: number }) {
  const t = useTranslate();
  const locale = i18n.language === 'en' ? 'en-US' : 'vi-VN';
  const data = rows.map((r) => ({
    name: r.project?.code ?? '—',
    allocated: millions(r.allocatedAmount),
    disbursed: millions(r.disbursedAmount),
  }));
  if (!data.length) return <Empty description={t('table.empty')} />;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" />
        <YAxis tickFormatter={(v: number) => v.toLocaleString(locale)} />
        <Tooltip formatter={(v) => `${Number(v).toLocaleString(locale)} ${t('fundingSummary.millions')}`} />
        <Legend />
        <Bar dataKey="allocated" name={t('fundingAllocations.fields.allocatedAmount')} fill="#1f6f43" />
        <Bar dataKey="disbursed" name={t('fundingAllocations.fields.disbursedAmount')} fill="#e8a33d" />
      </BarChart>
    </ResponsiveContainer>
  );
}

export default function FundingSummaryPage() {
  const t = useTranslate();
  const [search, setSearch] = useState<{ year?: number; source?: string; unitId?: string }>({});
  const filter = useMemo(() => {
    const f: Record<string, unknown> = {};
    if (search.year) f.year = { eq: search.year };
    if (search.source) f.source = { eq: search.source };
    if (search.unitId) f.underUnit = search.unitId;
    return Object.keys(f).length ? f : undefined;
  }, [search]);
  const pivot = useFundingSummary(filter, ['PROJECT', 'SOURCE', 'YEAR']);
  const byProject = useFundingSummary(filter, ['PROJECT']);

  const { rows, years } = useMemo(() => {
    const all = pivot.data?.fundingSummary ?? [];
    const years = [...new Set(all.map((r) => r.year ?? 0))].sort();
    const map = new Map<string, PivotRow>();
    for (const r of all) {
      const key = `${r.project?.code ?? ''}|${r.source ?? ''}`;
      let row = map.get(key);
      if (!row) {
        row = { key, project: r.project?.code ?? '—', projectName: r.project?.name ?? '', source: r.source ?? '', cells: {} };
        map.set(key, row);
      }
      row.cells[r.year ?? 0] = r;
    }
    return { rows: [...map.values()].sort((a, b) => a.project.localeCompare(b.project) || a.source.localeCompare(b.source)), years };
  }, [pivot.data]);

  const totals = byProject.data?.fundingSummary ?? [];
  const sum = (key: 'allocatedAmount' | 'disbursedAmount') => totals.reduce((s, r) => s + BigInt(r[key]), 0n).toString();

  return (
    <List
      title={t('fundingSummary.title')}
      headerButtons={<ExportButton list="fundingSummary" filter={{ filter, groupBy: ['PROJECT', 'SOURCE', 'YEAR'] }} />}
    >
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onValuesChange={(_, all) => setSearch(all)}>
        <Form.Item name="year">
          <YearInput placeholder={t('fundingAllocations.fields.year')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="source">
          <EnumSelect
            enumName="FundingSource"
            values={FUNDING_SOURCES}
            placeholder={t('fundingAllocations.fields.source')}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item name="unitId">
          <UnitSelect placeholder={t('fundingAllocations.fields.unit')} style={{ width: 220 }} />
        </Form.Item>
      </Form>
      <Card size="small" title={t('fundingSummary.chart')} style={{ marginBottom: 16 }}>
        <FundingChart rows={totals} />
        <Typography.Paragraph style={{ margin: 0, textAlign: 'center' }} data-testid="funding-totals">
          {t('fundingAllocations.fields.allocatedAmount')}: <b>{formatMoney(sum('allocatedAmount'))}</b> ·{' '}
          {t('fundingAllocations.fields.disbursedAmount')}: <b>{formatMoney(sum('disbursedAmount'))}</b>
        </Typography.Paragraph>
      </Card>
      <Table<PivotRow>
        rowKey="key"
        size="small"
        bordered
        loading={pivot.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="funding-pivot"
        columns={[
          {
            title: t('fundingSummary.project'),
            dataIndex: 'project',
            fixed: 'left',
            render: (v: string, r) => <span title={r.projectName}>{v}</span>,
            onCell: (r, i) => {
              const first = i === 0 || rows[(i ?? 0) - 1]?.project !== r.project;
              return { rowSpan: first ? rows.filter((x) => x.project === r.project).length : 0 };
            },
          },
          { title: t('fundingAllocations.fields.source'), dataIndex: 'source', render: (v: string) => t(`enums.FundingSource.${v}`, v) },
          ...years.map((y) => ({
            title: String(y || '—'),
            children: [
              {
                title: t('fundingSummary.allocated'),
                key: `${y}-a`,
                align: 'right' as const,
                render: (_: unknown, r: PivotRow) => (r.cells[y] ? <Money value={r.cells[y].allocatedAmount} /> : ''),
              },
              {
                title: t('fundingSummary.disbursed'),
                key: `${y}-d`,
                align: 'right' as const,
                render: (_: unknown, r: PivotRow) =>
                  r.cells[y] ? (
                    <span>
                      <Money value={r.cells[y].disbursedAmount} />{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        ({formatRate(r.cells[y].disbursementRate)})
                      </Typography.Text>
                    </span>
                  ) : (
                    ''
                  ),
              },
            ],
          })),
        ]}
      />
    </List>
  );
}
