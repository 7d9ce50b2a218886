import { List, useSelect, useTable } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Card, Form, InputNumber, Select, Table, type SelectProps } from 'antd';
import { Link } from 'react-router';
import { formatDecimal, showFieldErrors, useRefreshAll } from '../../components/api';
import { ExportButton } from '../../components/export-button';
import { YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { toFilter } from '../../providers/data-provider';
import { gql } from '../../providers/graphql';

interface TargetRow {
  id: string;
  year: number | null;
  baseline: string | null;
  target: string | null;
  indicator: { id: string; code: string; name: string };
  unit: { id: string; code: string; name: string };
}

interface Search {
  indicatorId?: string;
  unitId?: string;
  year?: number;
}

interface TargetValues {
  indicatorId: string;
  unitId: string;
  year?: number | null;
  baseline?: string | null;
  target?: string | null;
}

/** Targets of every indicator per unit and year (null year: the whole phase); COORDINATOR and ADMIN set them. */
export default function IndicatorTargetsPage() {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [form] = Form.useForm<TargetValues>();
  const { data: canTarget } = useCan({ resource: 'indicators', action: 'setIndicatorTarget' });
  const { selectProps } = useSelect<{ id: string; code: string; name: string }>({
    resource: 'indicators',
    optionLabel: (i) => `${i.code} · ${i.name}`,
    optionValue: 'id',
    pagination: { mode: 'off' },
    sorters: [{ field: 'code', order: 'asc' }],
    onSearch: (text) => [
      {
        operator: 'or',
        value: [
          { field: 'code', operator: 'contains', value: text },
          { field: 'name', operator: 'contains', value: text },
        ],
      },
    ],
    debounce: 300,
  });
  const { tableProps, searchFormProps, filters } = useTable<TargetRow, any, Search>({
    resource: 'indicatorTargets',
    sorters: { initial: [{ field: 'year', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ indicatorId, unitId, year }) => [
      { field: 'indicatorId', operator: 'eq', value: indicatorId },
      { field: 'underUnit', operator: 'eq', value: unitId },
      { field: 'year', operator: 'eq', value: year },
    ],
  });
  const submit = () => searchFormProps.form?.submit();

  const setTarget = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { id } }', {
          input: {
            indicatorId: values.indicatorId,
            unitId: values.unitId,
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

  const indicatorSelect = (extra: SelectProps) => (
    <Select {...(selectProps as SelectProps)} showSearch placeholder={t('indicatorTargets.indicator')} {...extra} />
  );

  return (
    <List title={t('indicatorTargets.title')} headerButtons={<ExportButton list="indicatorTargets" filter={toFilter(filters)} />}>
      {canTarget?.can && (
        <Card size="small" title={t('indicatorTargets.set')} style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" style={{ rowGap: 8 }} data-testid="target-form">
            <Form.Item name="indicatorId" rules={[{ required: true }]}>
              {indicatorSelect({ style: { width: 320 }, id: 'target-indicator' })}
            </Form.Item>
            <Form.Item name="unitId" rules={[{ required: true }]}>
              <UnitSelect placeholder={t('indicatorTargets.unit')} style={{ width: 220 }} id="target-unit" />
            </Form.Item>
            <Form.Item name="year">
              <YearInput placeholder={t('indicators.targets.phase')} style={{ width: 130 }} id="target-year" />
            </Form.Item>
            <Form.Item name="baseline">
              <InputNumber<string> stringMode placeholder={t('indicators.progress.baseline')} style={{ width: 130 }} id="target-baseline" />
            </Form.Item>
            <Form.Item name="target">
              <InputNumber<string> stringMode placeholder={t('indicators.progress.target')} style={{ width: 130 }} id="target-target" />
            </Form.Item>
            <Button type="primary" onClick={setTarget} loading={pending} data-testid="target-save">
              {t('buttons.save')}
            </Button>
          </Form>
        </Card>
      )}
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="indicatorId">{indicatorSelect({ style: { width: 320 }, allowClear: true, onChange: submit })}</Form.Item>
        <Form.Item name="unitId">
          <UnitSelect placeholder={t('indicatorTargets.underUnit')} style={{ width: 220 }} onChange={submit} />
        </Form.Item>
        <Form.Item name="year">
          <YearInput placeholder={t('fundingAllocations.fields.year')} style={{ width: 110 }} onChange={submit} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 900 }}
        data-testid="targets"
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column<TargetRow>
          dataIndex={['indicator', 'code']}
          title={t('indicatorTargets.indicator')}
          render={(_, r) => (
            <Link to={`/indicators/show/${r.indicator.id}`} title={r.indicator.name}>
              {r.indicator.code}
            </Link>
          )}
        />
        <Table.Column dataIndex={['indicator', 'name']} title={t('indicators.fields.name')} />
        <Table.Column dataIndex={['unit', 'name']} title={t('indicatorTargets.unit')} />
        <Table.Column
          dataIndex="year"
          title={t('fundingAllocations.fields.year')}
          sorter
          render={(v: number | null) => v ?? t('indicators.targets.phase')}
        />
        <Table.Column dataIndex="baseline" title={t('indicators.progress.baseline')} align="right" render={formatDecimal} />
        <Table.Column dataIndex="target" title={t('indicators.progress.target')} align="right" render={formatDecimal} />
      </Table>
    </List>
  );
}
