import { CreateButton, List, ShowButton, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form, Input, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

export interface IndicatorRecord {
  id: string;
  version: number;
  code: string;
  name: string;
  unitOfMeasure: string | null;
  measure: string;
  direction: string;
  aggregation: string;
  component: { id: string; code: string; name: string } | null;
}

/** The indicator catalog (reference data, written by ADMIN). */
export default function IndicatorList() {
  const t = useTranslate();
  const { tableProps, searchFormProps, filters } = useTable<IndicatorRecord, any, { q?: string }>({
    resource: 'indicators',
    sorters: { initial: [{ field: 'code', order: 'asc' }] },
    pagination: { pageSize: 50 },
    onSearch: ({ q }) => [
      {
        operator: 'or',
        value: q
          ? [
              { field: 'name', operator: 'contains', value: q },
              { field: 'code', operator: 'contains', value: q },
            ]
          : [],
      },
    ],
  });
  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="indicators" filter={toFilter(filters)} />
          <CreateButton resource="indicators" />
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item name="q">
          <Input.Search
            allowClear
            placeholder={t('common.searchPlaceholder')}
            onSearch={() => searchFormProps.form?.submit()}
            style={{ width: 280 }}
          />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1000 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column dataIndex="code" title={t('indicators.fields.code')} sorter />
        <Table.Column<IndicatorRecord>
          dataIndex="name"
          title={t('indicators.fields.name')}
          sorter
          render={(v, r) => <Link to={`/indicators/show/${r.id}`}>{v}</Link>}
        />
        <Table.Column dataIndex="unitOfMeasure" title={t('indicators.fields.unitOfMeasure')} render={(v) => v ?? '—'} />
        <Table.Column dataIndex="measure" title={t('indicators.fields.measure')} render={(v: string) => t(`enums.Measure.${v}`)} />
        <Table.Column
          dataIndex="direction"
          title={t('indicators.fields.direction')}
          render={(v: string) => <Tag color={v === 'INCREASE' ? 'green' : 'orange'}>{t(`enums.Direction.${v}`)}</Tag>}
        />
        <Table.Column
          dataIndex="aggregation"
          title={t('indicators.fields.aggregation')}
          render={(v: string) => t(`enums.Aggregation.${v}`)}
        />
        <Table.Column dataIndex={['component', 'code']} title={t('indicators.fields.component')} render={(v) => v ?? '—'} />
        <Table.Column<IndicatorRecord>
          title={t('table.actions')}
          render={(_, r) => <ShowButton hideText size="small" resource="indicators" recordItemId={r.id} />}
        />
      </Table>
    </List>
  );
}
