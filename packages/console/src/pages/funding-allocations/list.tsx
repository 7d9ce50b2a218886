import { CreateButton, List, ShowButton, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form, Space, Table } from 'antd';
import { Link } from 'react-router';
import { Money } from '../../components/formatted';
import { formatRate } from '../../components/api';
import { ComponentSelect, EnumSelect, FUNDING_SOURCES, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

export interface AllocationRecord {
  id: string;
  version: number;
  year: number;
  source: string;
  plannedAmount: string;
  allocatedAmount: string;
  disbursedAmount: string;
  disbursementRate: string | null;
  decisionRef: string | null;
  component: { id: string; code: string; name: string };
  unit: { id: string; code: string; name: string };
}

interface Search {
  year?: number;
  source?: string;
  unitId?: string;
  componentId?: string;
}

export default function AllocationList() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<AllocationRecord, any, Search>({
    resource: 'fundingAllocations',
    sorters: { initial: [{ field: 'year', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ year, source, unitId, componentId }) => [
      { field: 'year', operator: 'eq', value: year },
      { field: 'source', operator: 'eq', value: source },
      { field: 'underUnit', operator: 'eq', value: unitId },
      { field: 'componentId', operator: 'eq', value: componentId },
    ],
  });
  const submit = () => searchFormProps.form?.submit();
  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="fundingAllocations" filter={toFilter(filters)} />
          <CreateButton resource="fundingAllocations" />
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }} data-testid="allocation-filters">
        <Form.Item name="year">
          <YearInput placeholder={t('fundingAllocations.fields.year')} style={{ width: 110 }} onChange={submit} />
        </Form.Item>
        <Form.Item name="source">
          <EnumSelect
            enumName="FundingSource"
            values={FUNDING_SOURCES}
            placeholder={t('fundingAllocations.fields.source')}
            style={{ width: 200 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="unitId">
          <UnitSelect placeholder={t('fundingAllocations.fields.unit')} style={{ width: 220 }} onChange={submit} />
        </Form.Item>
        <Form.Item name="componentId">
          <ComponentSelect placeholder={t('fundingAllocations.fields.component')} style={{ width: 260 }} onChange={submit} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1100 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column
          dataIndex="year"
          title={t('fundingAllocations.fields.year')}
          sorter
          defaultSortOrder={getDefaultSortOrder('year', sorters)}
        />
        <Table.Column<AllocationRecord>
          dataIndex={['component', 'code']}
          title={t('fundingAllocations.fields.component')}
          render={(_, r) => (
            <Link to={`/funding/allocations/show/${r.id}`} title={r.component.name}>
              {r.component.code}
            </Link>
          )}
        />
        <Table.Column dataIndex={['unit', 'name']} title={t('fundingAllocations.fields.unit')} />
        <Table.Column
          dataIndex="source"
          title={t('fundingAllocations.fields.source')}
          sorter
          render={(v: string) => t(`enums.FundingSource.${v}`)}
        />
        <Table.Column
          dataIndex="plannedAmount"
          title={t('fundingAllocations.fields.plannedAmount')}
          align="right"
          sorter
          render={(v: string) => <Money value={v} />}
        />
        <Table.Column
          dataIndex="allocatedAmount"
          title={t('fundingAllocations.fields.allocatedAmount')}
          align="right"
          sorter
          render={(v: string) => <Money value={v} />}
        />
        <Table.Column
          dataIndex="disbursedAmount"
          title={t('fundingAllocations.fields.disbursedAmount')}
          align="right"
          sorter
          render={(v: string) => <Money value={v} />}
        />
        <Table.Column
          dataIndex="disbursementRate"
          title={t('fundingAllocations.fields.disbursementRate')}
          align="right"
          render={(v: string | null) => formatRate(v)}
        />
        <Table.Column<AllocationRecord>
          title={t('table.actions')}
          render={(_, r) => <ShowButton hideText size="small" resource="fundingAllocations" recordItemId={r.id} />}
        />
      </Table>
    </List>
  );
}
