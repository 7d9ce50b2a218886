import { List, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../../components/format';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface AuditRecord {
  id: string;
  at: string;
  operation: string;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  message: string | null;
  requestId: string;
  actor: { id: string; username: string; displayName: string } | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

interface Search {
  operation?: string;
  entityType?: string;
  outcome?: string;
}

const Json = ({ value }: { value: unknown }) =>
  value == null ? <Typography.Text type="secondary">—</Typography.Text> : <pre className="ntp-json">{JSON.stringify(value, null, 2)}</pre>;

export default function AuditList() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<AuditRecord, any, Search>({
    sorters: { initial: [{ field: 'at', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ operation, entityType, outcome }) => [
      { field: 'operation', operator: 'contains', value: operation },
      { field: 'entityType', operator: 'eq', value: entityType },
      { field: 'outcome', operator: outcome === 'FAILED' ? 'ne' : 'eq', value: outcome ? 'SUCCESS' : undefined },
    ],
  });
  const submit = () => searchFormProps.form?.submit();
  return (
    <List headerButtons={<ExportButton list="auditEvents" filter={toFilter(filters)} />}>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="operation">
          <Input.Search allowClear placeholder={t('auditEvents.fields.operation')} onSearch={submit} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="entityType">
          <Input allowClear placeholder={t('auditEvents.fields.entityType')} onPressEnter={submit} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="outcome">
          <Select
            allowClear
            placeholder={t('auditEvents.fields.outcome')}
            style={{ width: 160 }}
            onChange={submit}
            options={[
              { value: 'SUCCESS', label: t('auditEvents.outcome.SUCCESS') },
              { value: 'FAILED', label: t('auditEvents.outcome.FAILED') },
            ]}
          />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (r: AuditRecord) => (
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Typography.Text strong>{t('auditEvents.fields.before')}</Typography.Text>
                <Json value={r.before} />
              </Col>
              <Col xs={24} md={8}>
                <Typography.Text strong>{t('auditEvents.fields.after')}</Typography.Text>
                <Json value={r.after} />
              </Col>
              <Col xs={24} md={8}>
                <Typography.Text strong>{t('auditEvents.fields.details')}</Typography.Text>
                <Json value={r.details} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('auditEvents.fields.requestId')}: {r.requestId}
                </Typography.Text>
              </Col>
            </Row>
          ),
        }}
      >
        <Table.Column
          dataIndex="at"
          title={t('auditEvents.fields.at')}
          sorter
          defaultSortOrder={getDefaultSortOrder('at', sorters)}
          render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span>}
        />
        <Table.Column
          dataIndex={['actor', 'displayName']}
          title={t('auditEvents.fields.actor')}
          render={(v: string | undefined, r: AuditRecord) => v ?? r.actor?.username ?? '—'}
        />
        <Table.Column
          dataIndex="operation"
          title={t('auditEvents.fields.operation')}
          render={(v: string) => <Typography.Text code>{v}</Typography.Text>}
        />
        <Table.Column
          dataIndex="entityType"
          title={t('auditEvents.fields.entityType')}
          render={(v: string | null, r: AuditRecord) => (v ? `${v}${r.entityId ? ` #${r.entityId}` : ''}` : '—')}
        />
        <Table.Column
          dataIndex="outcome"
          title={t('auditEvents.fields.outcome')}
          render={(v: string) => (
            <Tag color={v === 'SUCCESS' ? 'green' : 'red'} title={v}>
              {t(`auditEvents.outcome.${v}`, v)}
            </Tag>
          )}
        />
        <Table.Column
          dataIndex="message"
          title={t('auditEvents.fields.message')}
          render={(v: string | null) => v ?? ''}
          onCell={() => ({ style: { whiteSpace: 'normal', maxWidth: 360 } })}
        />
      </Table>
    </List>
  );
}
