import { useMemo, useState } from 'react';
import { List, useTable } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Form, Input, Modal, Select, Table, Tabs, Tag } from 'antd';
import { Link } from 'react-router';
import { showFieldErrors, useGql, useRefreshAll } from '../../components/api';
import { DateText } from '../../components/formatted';
import { EnumSelect, RECOMMENDATION_STATUSES } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import { StatusTag } from '../missions/list';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface Rec {
  id: string;
  version: number;
  content: string;
  dueDate: string | null;
  status: string;
  resolution: string | null;
  overdue: boolean;
  mission: { id: string; title: string };
  addressee: { id: string; name: string };
}

interface Brief {
  status: string;
  overdue: boolean;
  addressee: { id: string; name: string };
}
interface AddresseeRow {
  id: string;
  name: string;
  total: number;
  overdue: number;
  byStatus: Record<string, number>;
}

/** Counts per addressee and status (the first 500 recommendations in scope, a district's worth). */
function ByAddressee() {
  const t = useTranslate();
  const { data, isLoading } = useGql<{ recommendations: { totalCount: number; nodes: Brief[] } }>(
    'recommendationsByAddressee',
    '{ recommendations(limit: 500) { totalCount nodes { status overdue addressee { id name } } } }',
  );
  const rows = useMemo(() => {
    const map = new Map<string, AddresseeRow>();
    for (const r of data?.recommendations.nodes ?? []) {
      let row = map.get(r.addressee.id);
      if (!row) map.set(r.addressee.id, (row = { id: r.addressee.id, name: r.addressee.name, total: 0, overdue: 0, byStatus: {} }));
      row.total++;
      if (r.overdue) row.overdue++;
      row.byStatus[r.status] = (row.byStatus[r.status] ?? 0) + 1;
    }
    return [...map.values()].sort((a, b) => b.overdue - a.overdue || a.name.localeCompare(b.name, 'vi'));
  }, [data]);
  return (
    <Table<AddresseeRow>
      rowKey="id"
      size="middle"
      loading={isLoading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('table.empty') }}
      columns={[
        { title: t('recommendations.fields.addressee'), dataIndex: 'name' },
        ...RECOMMENDATION_STATUSES.map((status) => ({
          title: t(`enums.RecommendationStatus.${status}`),
          key: status,
          align: 'right' as const,
          render: (_: unknown, r: AddresseeRow) => r.byStatus[status] ?? 0,
        })),
        {
          title: t('recommendations.fields.overdue'),
          dataIndex: 'overdue',
          align: 'right' as const,
          render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0),
        },
        { title: t('recommendations.total'), dataIndex: 'total', align: 'right' as const },
      ]}
    />
  );
}

/** The follow-up of recommendations: by addressee, status and overdue; the addressee records progress. */
export default function RecommendationList() {
  const t = useTranslate();
  const [view, setView] = useState('list');
  return (
    <List>
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyOnHidden
        items={[
          { key: 'list', label: t('recommendations.views.list'), children: <RecommendationTable /> },
          { key: 'byAddressee', label: t('recommendations.views.byAddressee'), children: <ByAddressee /> },
        ]}
      />
    </List>
  );
}

function RecommendationTable() {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const { data: canUpdate } = useCan({ resource: 'recommendations', action: 'updateRecommendation' });
  const [editing, setEditing] = useState<Rec | null>(null);
  const [form] = Form.useForm();
  const { tableProps, searchFormProps, filters } = useTable<Rec, any, { addresseeId?: string; status?: string; overdue?: string }>({
    resource: 'recommendations',
    sorters: { initial: [{ field: 'dueDate', order: 'asc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ addresseeId, status, overdue }) => [
      { field: 'addresseeId', operator: 'eq', value: addresseeId },
      { field: 'status', operator: 'eq', value: status },
      { field: 'overdue', operator: 'eq', value: overdue === undefined ? undefined : overdue === 'yes' },
    ],
  });
  const submit = () => searchFormProps.form?.submit();
  const save = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql(
          'mutation($id: ID!, $version: Int!, $input: UpdateRecommendationInput!) { updateRecommendation(id: $id, version: $version, input: $input) { id } }',
          {
            id: editing!.id,
            version: editing!.version,
            input: values,
          },
        );
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('notifications.success'));
    if (done) {
      setEditing(null);
      await refresh();
    }
  };
  return (
    <>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="addresseeId">
          <UnitSelect placeholder={t('recommendations.fields.addressee')} style={{ width: 240 }} onChange={submit} />
        </Form.Item>
        <Form.Item name="status">
          <EnumSelect
            enumName="RecommendationStatus"
            values={RECOMMENDATION_STATUSES}
            placeholder={t('recommendations.fields.status')}
            style={{ width: 170 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="overdue">
          <Select
            allowClear
            placeholder={t('recommendations.fields.overdue')}
            style={{ width: 150 }}
            onChange={submit}
            options={[
              { value: 'yes', label: t('recommendations.overdueOnly') },
              { value: 'no', label: t('recommendations.notOverdue') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <ExportButton list="recommendations" filter={toFilter(filters)} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1000 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column dataIndex="content" title={t('recommendations.fields.content')} />
        <Table.Column dataIndex={['addressee', 'name']} title={t('recommendations.fields.addressee')} />
        <Table.Column<Rec>
          dataIndex={['mission', 'title']}
          title={t('recommendations.fields.mission')}
          render={(v, r) => <Link to={`/missions/show/${r.mission.id}`}>{v}</Link>}
        />
        <Table.Column<Rec>
          dataIndex="dueDate"
          title={t('recommendations.fields.dueDate')}
          sorter
          render={(v, r) => (
            <span style={{ color: r.overdue ? '#cf1322' : undefined, fontWeight: r.overdue ? 600 : undefined }}>
              <DateText value={v} />
            </span>
          )}
        />
        <Table.Column
          dataIndex="status"
          title={t('recommendations.fields.status')}
          render={(v: string) => <StatusTag status={v} enumName="RecommendationStatus" />}
        />
        <Table.Column dataIndex="resolution" title={t('recommendations.fields.resolution')} render={(v) => v ?? '—'} />
        {canUpdate?.can && (
          <Table.Column<Rec>
            title={t('table.actions')}
            render={(_, r) => (
              <Button
                size="small"
                onClick={() => {
                  form.setFieldsValue({ status: r.status, resolution: r.resolution });
                  setEditing(r);
                }}
              >
                {t('recommendations.update')}
              </Button>
            )}
          />
        )}
      </Table>
      <Modal
        open={!!editing}
        title={t('recommendations.update')}
        onCancel={() => setEditing(null)}
        onOk={save}
        confirmLoading={pending}
        okText={t('buttons.save')}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="status" label={t('recommendations.fields.status')} rules={[{ required: true }]}>
            <EnumSelect enumName="RecommendationStatus" values={RECOMMENDATION_STATUSES} allowClear={false} />
          </Form.Item>
          <Form.Item name="resolution" label={t('recommendations.fields.resolution')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
