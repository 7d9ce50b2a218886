import { useEffect, useMemo, useState } from 'react';
import { List, useSelect } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Input, InputNumber, Select, Space, Table, Tag, Typography, type SelectProps } from 'antd';
import { useSearchParams } from 'react-router';
import { formatDecimal, thisYear, useGql, useRefreshAll, useScopeUnit } from '../../components/api';
import { EnumSelect, PERIODS, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import type { IndicatorRecord } from '../indicators/list';
import { ExportButton } from '../../components/export-button';

interface ValueRow {
  id: string;
  value: string | null;
  textValue: string | null;
  numerator: string | null;
  denominator: string | null;
  unit: { id: string };
}
interface Draft {
  value?: string | null;
  textValue?: string | null;
  numerator?: string | null;
  denominator?: string | null;
}

/** One indicator, year and period: a row per commune, each value saved on its own (recordIndicatorValue upserts). */
export default function IndicatorValuesPage() {
  const t = useTranslate();
  const [params] = useSearchParams();
  const refresh = useRefreshAll();
  const { run } = useAction();
  const { data: canRecord } = useCan({ resource: 'indicatorValues', action: 'recordIndicatorValue' });
  const [indicatorId, setIndicatorId] = useState<string | undefined>(params.get('indicatorId') ?? undefined);
  const [year, setYear] = useState(thisYear());
  const [period, setPeriod] = useState('YEAR');
  const [underUnit, setUnderUnit] = useState<string | undefined>();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const { selectProps } = useSelect<IndicatorRecord>({
    resource: 'indicators',
    optionLabel: (i) => `${i.code} · ${i.name}`,
    optionValue: 'id',
    pagination: { mode: 'off' },
    sorters: [{ field: 'code', order: 'asc' }],
    defaultValue: indicatorId,
  });
  const indicator = useGql<{ indicator: IndicatorRecord | null }>(
    'indicatorBrief',
    'query($id: ID!) { indicator(id: $id) { id code name measure aggregation unitOfMeasure } }',
    { id: indicatorId },
    !!indicatorId,
  );
  const ind = indicator.data?.indicator;
  const scopeUnit = useScopeUnit();
  const scope = underUnit ?? scopeUnit.id;
  const communes = useGql<{ units: { nodes: { id: string; code: string; name: string }[] } }>(
    'communes',
    'query($filter: UnitFilter) { units(filter: $filter, orderBy: [{ field: NAME, direction: ASC }], limit: 500) { nodes { id code name } } }',
    { filter: { kind: { eq: 'COMMUNE' }, ...(scope ? { underUnit: scope } : {}), validOn: `${year}-12-31` } },
    !scopeUnit.loading,
  );
  const values = useGql<{ indicatorValues: { nodes: ValueRow[] } }>(
    'indicatorValues',
    'query($filter: IndicatorValueFilter) { indicatorValues(filter: $filter, limit: 500) { nodes { id value textValue numerator denominator unit { id } } } }',
    { filter: { indicatorId: { eq: indicatorId }, year: { eq: year }, period: { eq: period } } },
    !!indicatorId,
  );
  const recorded = useMemo(() => new Map((values.data?.indicatorValues.nodes ?? []).map((v) => [v.unit.id, v])), [values.data]);
  useEffect(() => setDrafts({}), [indicatorId, year, period]);

  const ratio = ind?.aggregation === 'RATIO';
  const qualitative = ind?.measure === 'QUALITATIVE';
  const field = (unitId: string, key: keyof Draft) => drafts[unitId]?.[key] ?? recorded.get(unitId)?.[key] ?? null;
  const edit = (unitId: string, key: keyof Draft, v: string | null) => setDrafts((d) => ({ ...d, [unitId]: { ...d[unitId], [key]: v } }));
  const save = async (unitId: string) => {
    setSaving(unitId);
    const input = {
      indicatorId,
      unitId,
      year,
      period,
      value: ratio || qualitative ? null : field(unitId, 'value'),
      textValue: qualitative ? field(unitId, 'textValue') : null,
      numerator: ratio ? field(unitId, 'numerator') : null,
      denominator: ratio ? field(unitId, 'denominator') : null,
    };
    const done = await run(
      () => gql('mutation($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { id } }', { input }),
      t('notifications.success'),
    );
    setSaving(null);
    if (done) {
      setDrafts((d) => ({ ...d, [unitId]: {} }));
      await refresh();
    }
  };
  const numberInput = (unitId: string, key: keyof Draft) => (
    <InputNumber<string>
      stringMode
      value={field(unitId, key) ?? undefined}
      onChange={(v) => edit(unitId, key, v ?? null)}
      disabled={!canRecord?.can}
      style={{ width: 140 }}
    />
  );

  return (
    <List
      title={t('indicatorValues.title')}
      headerButtons={
        <ExportButton
          list="indicatorValues"
          filter={{
            ...(indicatorId ? { indicatorId: { eq: indicatorId } } : {}),
            year: { eq: year },
            period: { eq: period },
            ...(underUnit ? { underUnit } : {}),
          }}
        />
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          {...(selectProps as SelectProps)}
          value={indicatorId}
          onChange={(v) => setIndicatorId(v as unknown as string)}
          placeholder={t('indicatorValues.indicator')}
          style={{ width: 360 }}
          showSearch
        />
        <YearInput value={year} onChange={(v) => v && setYear(v)} style={{ width: 110 }} id="values-year" />
        <EnumSelect enumName="Period" values={PERIODS} value={period} onChange={setPeriod} allowClear={false} style={{ width: 140 }} />
        <UnitSelect
          placeholder={t('completeness.underUnit')}
          style={{ width: 220 }}
          value={underUnit}
          onChange={(v) => setUnderUnit(v as string | undefined)}
        />
      </Space>
      {ind && (
        <Typography.Paragraph type="secondary">
          {ind.unitOfMeasure && <Tag>{ind.unitOfMeasure}</Tag>}
          {ratio ? t('indicatorValues.ratioHint') : qualitative ? t('indicatorValues.textHint') : t('indicatorValues.valueHint')}
        </Typography.Paragraph>
      )}
      <Table
        rowKey="id"
        size="small"
        loading={communes.isLoading || values.isLoading}
        dataSource={indicatorId ? (communes.data?.units.nodes ?? []) : []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: indicatorId ? t('table.empty') : t('indicatorValues.pick') }}
        columns={[
          { title: t('completeness.unit'), dataIndex: 'name' },
          ...(ratio
            ? [
                {
                  title: t('indicatorValues.numerator'),
                  key: 'n',
                  render: (_: unknown, u: { id: string }) => numberInput(u.id, 'numerator'),
                },
                {
                  title: t('indicatorValues.denominator'),
                  key: 'd',
                  render: (_: unknown, u: { id: string }) => numberInput(u.id, 'denominator'),
                },
              ]
            : qualitative
              ? [
                  {
                    title: t('indicatorValues.text'),
                    key: 'x',
                    render: (_: unknown, u: { id: string }) => (
                      <Input
                        value={field(u.id, 'textValue') ?? ''}
                        onChange={(e) => edit(u.id, 'textValue', e.target.value)}
                        disabled={!canRecord?.can}
                        style={{ width: 300 }}
                      />
                    ),
                  },
                ]
              : [{ title: t('indicatorValues.value'), key: 'v', render: (_: unknown, u: { id: string }) => numberInput(u.id, 'value') }]),
          {
            title: t('indicatorValues.recorded'),
            key: 'r',
            render: (_: unknown, u: { id: string }) => {
              const v = recorded.get(u.id);
              if (!v) return <Tag>{t('indicatorValues.none')}</Tag>;
              return <Tag color="green">{v.value !== null ? formatDecimal(v.value) : (v.textValue ?? '✓')}</Tag>;
            },
          },
          ...(canRecord?.can
            ? [
                {
                  title: t('table.actions'),
                  key: 'a',
                  render: (_: unknown, u: { id: string }) => (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      disabled={!drafts[u.id] || !Object.keys(drafts[u.id]).length}
                      loading={saving === u.id}
                      onClick={() => save(u.id)}
                    >
                      {t('buttons.save')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </List>
  );
}
