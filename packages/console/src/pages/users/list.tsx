import { CreateButton, EditButton, List, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Badge, Form, Input, Select, Space, Table } from 'antd';
import { RoleTag } from '../../components/status';
import { ROLES } from './form';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  unit: { id: string; name: string };
}

interface Search {
  q?: string;
  role?: string;
}

export default function UserList() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<UserRecord, any, Search>({
    sorters: { initial: [{ field: 'username', order: 'asc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ q, role }) => [
      {
        operator: 'or',
        value: q
          ? [
              { field: 'username', operator: 'contains', value: q },
              { field: 'displayName', operator: 'contains', value: q },
            ]
          : [],
      },
      { field: 'role', operator: 'eq', value: role },
    ],
  });
  const submit = () => searchFormProps.form?.submit();
  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="users" filter={toFilter(filters)} />
          <CreateButton />
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('users.fields.displayName')} onSearch={submit} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="role">
          <Select
            allowClear
            placeholder={t('users.fields.role')}
            style={{ width: 200 }}
            onChange={submit}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        </Form.Item>
      </Form>
      <Table {...tableProps} rowKey="id" scroll={{ x: 900 }}>
        <Table.Column
          dataIndex="username"
          title={t('users.fields.username')}
          sorter
          defaultSortOrder={getDefaultSortOrder('username', sorters)}
        />
        <Table.Column dataIndex="displayName" title={t('users.fields.displayName')} sorter />
        <Table.Column dataIndex="role" title={t('users.fields.role')} sorter render={(r: string) => <RoleTag role={r} />} />
        <Table.Column dataIndex={['unit', 'name']} title={t('users.fields.unit')} />
        <Table.Column
          dataIndex="disabled"
          title={t('users.fields.status')}
          render={(d: boolean) => <Badge status={d ? 'error' : 'success'} text={t(d ? 'users.status.disabled' : 'users.status.active')} />}
        />
        <Table.Column<UserRecord> title={t('table.actions')} render={(_, r) => <EditButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}
