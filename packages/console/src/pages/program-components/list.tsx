import { CreateButton, EditButton, List, ShowButton, getDefaultSortOrder, useSelect, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form, Input, Select, Space, Table } from 'antd';
import { Link } from 'react-router';
import { KindTag } from '../../components/status';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

export interface ComponentRecord {
  id: string;
  version: number;
  code: string;
  name: string;
  kind: string;
  program: { id: string; code: string; name: string };
  parent: { id: string; code: string; name: string } | null;
}

interface Search {
  q?: string;
  programId?: string;
  kind?: string;
}

export default function ComponentList() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<ComponentRecord, any, Search>({
    sorters: { initial: [{ field: 'code', order: 'asc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ q, programId, kind }) => [
      {
        operator: 'or',
        value: q
          ? [
              { field: 'name', operator: 'contains', value: q },
              { field: 'code', operator: 'contains', value: q },
            ]
          : [],
      },
      { field: 'programId', operator: 'eq', value: programId },
      { field: 'kind', operator: 'eq', value: kind },
    ],
  });
  const { selectProps: programSelect } = useSelect({ resource: 'programs', optionLabel: 'code', optionValue: 'id' });
  const submit = () => searchFormProps.form?.submit();
  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="programComponents" filter={toFilter(filters)} />
          <CreateButton />
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('common.searchPlaceholder')} onSearch={submit} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="programId">
          <Select
            {...programSelect}
            allowClear
            placeholder={t('programComponents.fields.program')}
            style={{ width: 200 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('programComponents.fields.kind')}
            style={{ width: 150 }}
            onChange={submit}
            options={['PROJECT', 'SUB_PROJECT'].map((k) => ({ value: k, label: t(`enums.ComponentKind.${k}`) }))}
          />
        </Form.Item>
      </Form>
      <Table {...tableProps} rowKey="id" scroll={{ x: 900 }}>
        <Table.Column
          dataIndex="code"
          title={t('programComponents.fields.code')}
          sorter
          defaultSortOrder={getDefaultSortOrder('code', sorters)}
        />
        <Table.Column
          dataIndex="name"
          title={t('programComponents.fields.name')}
          sorter
          render={(name: string, r: ComponentRecord) => <Link to={`/program-components/show/${r.id}`}>{name}</Link>}
          onCell={() => ({ style: { whiteSpace: 'normal', minWidth: 260, maxWidth: 520 } })}
        />
        <Table.Column
          dataIndex="kind"
          title={t('programComponents.fields.kind')}
          render={(k: string) => <KindTag kind={k} enumName="ComponentKind" />}
        />
        <Table.Column dataIndex={['program', 'code']} title={t('programComponents.fields.program')} />
        <Table.Column dataIndex={['parent', 'code']} title={t('programComponents.fields.parent')} render={(v?: string) => v ?? '—'} />
        <Table.Column<ComponentRecord>
          title={t('table.actions')}
          render={(_, r) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={r.id} />
              <EditButton hideText size="small" recordItemId={r.id} />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
