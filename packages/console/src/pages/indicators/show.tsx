import { useState } from 'react';
import { Show } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Card, Descriptions, Form, InputNumber, Progress, Table } from 'antd';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Link, useParams } from 'react-router';
import { formatDecimal, formatRate, showFieldErrors, useGql, useRefreshAll } from '../../components/api';
import { YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import { RESOURCES } from '../../providers/resources';
import type { IndicatorRecord } from './list';

export interface ProgressRow {
  indicator: { id: string; code: string; name: string; unitOfMeasure?: string | null; measure?: string };
  unit: { id: string; name: string } | null;
  year: number | null;
  baseline: string | null;
  target: string | null;
  actual: string | null;
  achievement: string | null;
}
interface TargetRow {
  id: string;
  year: number | null;
  baseline: string | null;
  target: string | null;
  unit: { id: string; name: string };
}

const PROGRESS = `query($filter: IndicatorProgressFilter, $groupBy: [IndicatorDimension!]!, $unitLevel: Int) {
  indicatorProgress(filter: $filter, groupBy: $groupBy, unitLevel: $unitLevel) {
    indicator { id code name unitOfMeasure measure } unit { id name } year baseline target actual achievement
  }
}`;

export function useProgress(filter: Record<string, unknown>, groupBy: string[], unitLevel?: number) {
  return useGql<{ indicatorProgress: ProgressRow[] }>('indicatorProgress', PROGRESS, { filter, groupBy, unitLevel: unitLevel ?? null });
}

/** Achievement as a bar capped at 100 % (the number itself is shown uncapped). */
export function Achievement({ value }: { value: string | null }) {
  if (value === null) return <div style={{ color: '#999', fontSize: 12 }}>—</div>;
  const pct = Number(value) * 100;
  return (
    <Progress
      percent={Math.max(0, Math.min(100, pct))}
      format={() => formatRate(value)}
      size="small"
      status={pct >= 100 ? 'success' : 'normal'}
    />
  );
}

const num = (v: string | null) => (v === null ? null : Number(v));

export default function IndicatorShow() {
  const t = useTranslate();
  const { id = '' } = useParams();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [form] = Form.useForm();
  const [underUnit, setUnderUnit] = useState<string | undefined>();
  const { data, isLoading } = useGql<{ indicator: IndicatorRecord | null }>(
    'indicator',
    `query($id: ID!) { indicator(id: $id) { ${RESOURCES.indicators.fields} } }`,
    { id },
  );
  const ind = data?.indicator;
  const filter = { indicatorIds: [id], ...(underUnit ? { underUnit } : {}) };
  const byYear = useProgress(filter, ['YEAR']);
  const byUnit = useProgress(filter, ['UNIT'], 2);
  const targets = useGql<{ indicatorTargets: { nodes: TargetRow[] } }>(
    'indicatorTargets',
    'query($id: ID!) { indicatorTargets(filter: { indicatorId: { eq: $id } }, limit: 500) { nodes { id year baseline target unit { id name } } } }',
    { id },
  );
  const { data: canTarget } = useCan({ resource: 'indicators', action: 'setIndicatorTarget' });
  const chart = (byYear.data?.indicatorProgress ?? []).map((r) => ({
    year: r.year ?? '—',
    actual: num(r.actual),
    target: num(r.target),
    baseline: num(r.baseline),
  }));

  const setTarget = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { id } }', {
          input: {
            ...values,
            indicatorId: id,
            year: values.year ?? null,
            baseline: values.baseline ?? null,
            target: values.target ?? null,
          },
        });
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('notifications.success'));
    if (done) {
      form.resetFields();
      await refresh();
    }
  };

  return (
    <Show
      resource="indicators"
      recordItemId={id}
      isLoading={isLoading}
      title={ind ? `${ind.code} · ${ind.name}` : undefined}
      headerButtons={() => (
        <Link to={`/indicator-values?indicatorId=${id}`}>
          <Button>{t('indicatorValues.title')}</Button>
        </Link>
      )}
    >
      {ind && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('indicators.fields.unitOfMeasure')}>{ind.unitOfMeasure ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('indicators.fields.measure')}>{t(`enums.Measure.${ind.measure}`)}</Descriptions.Item>
            <Descriptions.Item label={t('indicators.fields.direction')}>{t(`enums.Direction.${ind.direction}`)}</Descriptions.Item>
            <Descriptions.Item label={t('indicators.fields.aggregation')}>{t(`enums.Aggregation.${ind.aggregation}`)}</Descriptions.Item>
            <Descriptions.Item label={t('indicators.fields.component')}>
              {ind.component ? `${ind.component.code} · ${ind.component.name}` : '—'}
            </Descriptions.Item>
          </Descriptions>
          <Card
            title={t('indicators.progress.title')}
            size="small"
            style={{ marginTop: 16 }}
            extra={
              <UnitSelect
                placeholder={t('completeness.underUnit')}
                style={{ width: 220 }}
                value={underUnit}
                onChange={(v) => setUnderUnit(v as string | undefined)}
              />
            }
          >
            {chart.length ? (
              <ResponsiveContainer width="100%" height={280}>
                <ComposedChart data={chart} margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="year" />
                  <YAxis />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="actual" name={t('indicators.progress.actual')} fill="#1f6f43" />
                  <Line dataKey="target" name={t('indicators.progress.target')} stroke="#e8a33d" strokeWidth={2} />
                  <Line dataKey="baseline" name={t('indicators.progress.baseline')} stroke="#8c8c8c" strokeDasharray="4 4" />
                </ComposedChart>
              </ResponsiveContainer>
            ) : null}
            <Table<ProgressRow>
              rowKey={(r) => r.unit?.id ?? 'all'}
              size="small"
              pagination={false}
              dataSource={byUnit.data?.indicatorProgress ?? []}
              style={{ marginTop: 12 }}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('table.empty') }}
              columns={[
                { title: t('completeness.unit'), dataIndex: ['unit', 'name'], render: (v) => v ?? '—' },
                { title: t('indicators.progress.baseline'), dataIndex: 'baseline', align: 'right', render: formatDecimal },
                { title: t('indicators.progress.target'), dataIndex: 'target', align: 'right', render: formatDecimal },
                { title: t('indicators.progress.actual'), dataIndex: 'actual', align: 'right', render: formatDecimal },
                {
                  title: t('indicators.progress.achievement'),
                  dataIndex: 'achievement',
                  width: 200,
                  render: (v) => <Achievement value={v} />,
                },
              ]}
            />
          </Card>
          <Card title={t('indicators.targets.title')} size="small" style={{ marginTop: 16 }}>
            {canTarget?.can && (
              <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
                <Form.Item name="unitId" rules={[{ required: true }]}>
                  <UnitSelect placeholder={t('completeness.unit')} style={{ width: 220 }} />
                </Form.Item>
                <Form.Item name="year">
                  <YearInput placeholder={t('indicators.targets.phase')} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name="baseline">
                  <InputNumber<string> stringMode placeholder={t('indicators.progress.baseline')} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name="target">
                  <InputNumber<string> stringMode placeholder={t('indicators.progress.target')} style={{ width: 130 }} />
                </Form.Item>
                <Button type="primary" onClick={setTarget} loading={pending}>
                  {t('buttons.save')}
                </Button>
              </Form>
            )}
            <Table<TargetRow>
              rowKey="id"
              size="small"
              dataSource={targets.data?.indicatorTargets.nodes ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: t('table.empty') }}
              columns={[
                { title: t('completeness.unit'), dataIndex: ['unit', 'name'] },
                { title: t('fundingAllocations.fields.year'), dataIndex: 'year', render: (v) => v ?? t('indicators.targets.phase') },
                { title: t('indicators.progress.baseline'), dataIndex: 'baseline', align: 'right', render: formatDecimal },
                { title: t('indicators.progress.target'), dataIndex: 'target', align: 'right', render: formatDecimal },
              ]}
            />
          </Card>
        </>
      )}
    </Show>
  );
}
