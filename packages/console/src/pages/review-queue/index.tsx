import { useState } from 'react';
import { List } from '@refinedev/antd';
import { useGetIdentity, useTranslate } from '@refinedev/core';
import { Button, Card, Drawer, Form, Input, Modal, Popconfirm, Space, Table, Tabs, Typography } from 'antd';
import { useGql, useRefreshAll } from '../../components/api';
import { DateText } from '../../components/formatted';
import { formatDateTime } from '../../components/format';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import type { Me } from '../../providers/auth-provider';
import { StatusTag } from '../missions/list';
import { ReportHistory } from '../reports/history';
import { Attachments, OBLIGATION, type ObligationDetail } from '../reports/edit';
import type { ObligationRow } from '../my-deadlines';
import { ExportButton } from '../../components/export-button';

const QUEUE = `query($filter: ReportingObligationFilter) {
  reportingObligations(filter: $filter, orderBy: [{ field: DUE_DATE, direction: ASC }], limit: 200) { totalCount nodes {
    id version type title year dueDate status daysLate submitter { id name } report { id version status title submittedAt }
  } }
}`;

/** One submitted report read in full, with its history, and the reviewer's two decisions. */
function ReviewDrawer({ obligationId, onClose }: { obligationId: string; onClose: () => void }) {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const { data } = useGql<{ reportingObligation: ObligationDetail | null }>('obligation', OBLIGATION, { id: obligationId });
  const o = data?.reportingObligation;
  const r = o?.report;
  const decide = async (op: 'acceptReport' | 'returnReport', reason?: string) => {
    const done = await run(
      () =>
        gql(
          `mutation($id: ID!, $version: Int!${reason ? ', $reason: String!' : ''}) { ${op}(id: $id, version: $version${reason ? ', reason: $reason' : ''}) { id } }`,
          {
            id: r!.id,
            version: r!.version,
            reason,
          },
        ),
      op === 'acceptReport' ? t('reviewQueue.accepted') : t('reviewQueue.returnedDone'),
    );
    if (done) {
      setReturning(false);
      await refresh();
    }
  };
  return (
    <Drawer
      open
      width={Math.min(820, window.innerWidth)}
      onClose={onClose}
      title={r?.title ?? o?.title}
      extra={
        r?.status === 'SUBMITTED' && (
          <Space>
            <Button danger onClick={() => setReturning(true)} data-testid="review-return">
              {t('reviewQueue.return')}
            </Button>
            <Popconfirm title={t('reviewQueue.acceptConfirm')} onConfirm={() => decide('acceptReport')}>
              <Button type="primary" loading={pending} data-testid="review-accept">
                {t('reviewQueue.accept')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {o && (
        <div data-testid="review-drawer">
          <Typography.Paragraph>
            {o.submitter.name} · {t(`enums.ReportType.${o.type}`)} · {t('reports.fields.dueDate')} <DateText value={o.dueDate} />
            {r?.submittedAt && (
              <>
                {' '}
                · {t('reports.fields.submittedAt')} {formatDateTime(r.submittedAt)}
              </>
            )}{' '}
            {r && <StatusTag status={r.status} enumName="ReportStatus" />}
          </Typography.Paragraph>
          {r?.sections.map((s, i) => (
            <Card key={s.key} size="small" title={`${i + 1}. ${s.title}`} style={{ marginBottom: 12 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{s.body || '—'}</Typography.Paragraph>
            </Card>
          ))}
          <Card size="small" title={t('reports.fields.attachments')} style={{ marginBottom: 12 }}>
            <Attachments files={r?.attachments ?? []} />
          </Card>
          <Card size="small" title={t('reports.history')}>
            <ReportHistory events={r?.history ?? []} />
          </Card>
        </div>
      )}
      <Modal
        open={returning}
        title={t('reviewQueue.return')}
        onCancel={() => setReturning(false)}
        onOk={async () => decide('returnReport', (await form.validateFields()).reason)}
        okText={t('reviewQueue.return')}
        okButtonProps={{ danger: true }}
        confirmLoading={pending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('reports.fields.returnReason')}
            rules={[{ required: true, message: t('reviewQueue.reasonRequired') }]}
          >
            <Input.TextArea rows={3} data-testid="return-reason-input" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

/** Reports received by the reviewer's unit: waiting for a decision first, then everything received. */
export default function ReviewQueue() {
  const t = useTranslate();
  const { data: me } = useGetIdentity<Me>();
  const [tab, setTab] = useState('waiting');
  const [open, setOpen] = useState<string | null>(null);
  const recipient = me && me.role !== 'ADMIN' ? { recipientId: me.unit.id } : {};
  const filter =
    tab === 'waiting'
      ? { ...recipient, status: { in: ['SUBMITTED'] } }
      : { ...recipient, status: { in: ['SUBMITTED', 'RETURNED', 'ACCEPTED'] } };
  const { data, isLoading } = useGql<{ reportingObligations: { nodes: ObligationRow[]; totalCount: number } }>(
    'reviewQueue',
    QUEUE,
    { filter },
    !!me,
  );
  return (
    <List title={t('reviewQueue.title')} headerButtons={<ExportButton list="reportingObligations" filter={filter} />}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'waiting', label: t('reviewQueue.waiting') },
          { key: 'all', label: t('reviewQueue.all') },
        ]}
      />
      <Table<ObligationRow>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.reportingObligations.nodes ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="review-queue"
        locale={{ emptyText: t('reviewQueue.empty') }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('reports.fields.submitter'), dataIndex: ['submitter', 'name'] },
          { title: t('reports.fields.title'), dataIndex: 'title', render: (v, r) => <a>{r.report?.title ?? v}</a> },
          { title: t('reports.fields.type'), dataIndex: 'type', render: (v: string) => t(`enums.ReportType.${v}`) },
          { title: t('reports.fields.dueDate'), dataIndex: 'dueDate', render: (v) => <DateText value={v} /> },
          { title: t('reports.fields.submittedAt'), dataIndex: ['report', 'submittedAt'], render: (v) => formatDateTime(v) },
          {
            title: t('reports.fields.status'),
            dataIndex: 'status',
            render: (v: string) => <StatusTag status={v} enumName="ObligationStatus" />,
          },
        ]}
      />
      {open && <ReviewDrawer obligationId={open} onClose={() => setOpen(null)} />}
    </List>
  );
}
