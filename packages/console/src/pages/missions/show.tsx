import { useState } from 'react';
import { EditButton, Show } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { showFieldErrors, useGql, useRefreshAll } from '../../components/api';
import { DATE_FORMAT } from '../../components/format';
import { DateText, dateItemProps } from '../../components/formatted';
import { ComponentSelect, EnumSelect, FINDING_KINDS } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql, type ApiError } from '../../providers/graphql';
import { RESOURCES } from '../../providers/resources';
import { StatusTag, type MissionRecord } from './list';
import { ExportButton } from '../../components/export-button';

interface FindingRow {
  id: string;
  kind: string;
  description: string;
  unit: { id: string; name: string } | null;
  component: { id: string; code: string } | null;
}
interface RecommendationRow {
  id: string;
  content: string;
  dueDate: string | null;
  status: string;
  overdue: boolean;
  addressee: { id: string; name: string };
  finding: { id: string } | null;
}
interface Detail extends MissionRecord {
  findings: { nodes: FindingRow[] };
  recommendations: { nodes: RecommendationRow[] };
  obligation: { id: string; dueDate: string; status: string } | null;
}

const DETAIL = `query($id: ID!) { mission(id: $id) { ${RESOURCES.missions.fields}
  obligation { id dueDate status }
  findings(limit: 500) { nodes { id kind description unit { id name } component { id code } } }
  recommendations(limit: 500) { nodes { id content dueDate status overdue addressee { id name } finding { id } } }
} }`;

type Modal = 'finding' | 'recommendation' | 'cancel' | null;

export default function MissionShow() {
  const t = useTranslate();
  const { id = '' } = useParams();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const { data, isLoading } = useGql<{ mission: Detail | null }>('missionDetail', DETAIL, { id });
  const m = data?.mission;
  const { data: canMove } = useCan({ resource: 'missions', action: 'missionTransition' });
  const { data: canFind } = useCan({ resource: 'missions', action: 'createFinding' });
  const [open, setOpen] = useState<Modal>(null);
  const [form] = Form.useForm();

  const transition = (op: 'startMission' | 'completeMission') =>
    run(async () => {
      try {
        await gql(`mutation($id: ID!, $version: Int!) { ${op}(id: $id, version: $version) { id } }`, { id, version: m!.version });
      } catch (e) {
        // INVALID_TRANSITION: the server names both statuses; say it with the statuses' words.
        const err = e as ApiError;
        if (err.extensions?.rule === 'INVALID_TRANSITION') {
          const word = (s: string) => t(`enums.MissionStatus.${s}`, s);
          err.message = t('missionActions.invalidTransition', { from: word(err.extensions.from), to: word(err.extensions.to) });
          await refresh();
        }
        throw err;
      }
      await refresh();
    }, t('notifications.success'));

  const submitModal = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        if (open === 'finding')
          await gql('mutation($input: CreateFindingInput!) { createFinding(input: $input) { id } }', {
            input: { ...values, missionId: id },
          });
        if (open === 'recommendation')
          await gql('mutation($input: CreateRecommendationInput!) { createRecommendation(input: $input) { id } }', {
            input: { ...values, missionId: id },
          });
        if (open === 'cancel')
          await gql(
            'mutation($id: ID!, $version: Int!, $reason: String!) { cancelMission(id: $id, version: $version, reason: $reason) { id } }',
            {
              id,
              version: m!.version,
              reason: values.reason,
            },
          );
        return true;
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    });
    if (done) {
      setOpen(null);
      form.resetFields();
      await refresh();
    }
  };

  return (
    <Show
      resource="missions"
      recordItemId={id}
      isLoading={isLoading}
      title={m?.title}
      headerButtons={() =>
        m && (
          <Space wrap>
            {canMove?.can && m.status === 'PLANNED' && (
              <Button type="primary" onClick={() => transition('startMission')} loading={pending} data-testid="mission-start">
                {t('missions.actions.start')}
              </Button>
            )}
            {/* A planned mission must be started first: the server says so (INVALID_TRANSITION). */}
            {canMove?.can && (m.status === 'PLANNED' || m.status === 'IN_PROGRESS') && (
              <Popconfirm title={t('missions.actions.completeConfirm')} onConfirm={() => transition('completeMission')}>
                <Button type={m.status === 'IN_PROGRESS' ? 'primary' : 'default'} data-testid="mission-complete">
                  {t('missions.actions.complete')}
                </Button>
              </Popconfirm>
            )}
            {canMove?.can && (m.status === 'PLANNED' || m.status === 'IN_PROGRESS') && (
              <Button danger onClick={() => setOpen('cancel')}>
                {t('missions.actions.cancel')}
              </Button>
            )}
            {m.status !== 'CANCELLED' && m.status !== 'COMPLETED' && <EditButton resource="missions" recordItemId={id} />}
          </Space>
        )
      }
    >
      {m && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('missions.fields.status')}>
              <StatusTag status={m.status} enumName="MissionStatus" />
            </Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.leadUnit')}>{m.leadUnit.name}</Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.startDate')}>
              <DateText value={m.startDate} /> – <DateText value={m.endDate} />
            </Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.decisionRef')}>{m.decisionRef ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.targetUnits')}>{m.targetUnits.map((u) => u.name).join(', ')}</Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.components')}>
              {m.components.map((c) => (
                <Tag key={c.id}>{c.code}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.plan')}>{m.plan?.title ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('missions.fields.reportDueDate')}>
              {m.obligation ? (
                <Link to={`/reports/edit/${m.obligation.id}`}>
                  <DateText value={m.obligation.dueDate} />
                </Link>
              ) : (
                <DateText value={m.reportDueDate} />
              )}
            </Descriptions.Item>
          </Descriptions>
          {m.overlapJustification && (
            <Alert
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              message={t('missions.fields.overlapJustification')}
              description={m.overlapJustification}
              data-testid="justification"
            />
          )}
          {m.cancelReason && (
            <Alert
              style={{ marginTop: 12 }}
              type="warning"
              showIcon
              message={t('missions.fields.cancelReason')}
              description={m.cancelReason}
            />
          )}

          <Card title={t('missions.fields.members')} size="small" style={{ marginTop: 16 }}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={m.members}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('missions.members.name'), dataIndex: 'name' },
                { title: t('missions.members.position'), dataIndex: 'position', render: (v) => v ?? '—' },
                { title: t('missions.members.organization'), dataIndex: ['organization', 'name'], render: (v) => v ?? '—' },
                {
                  title: t('missions.members.role'),
                  dataIndex: 'role',
                  render: (v: string) => <Tag color={v === 'HEAD' ? 'green' : undefined}>{t(`enums.MemberRole.${v}`)}</Tag>,
                },
              ]}
            />
          </Card>

          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <Card
                title={t('missions.findings.title')}
                size="small"
                style={{ marginTop: 16 }}
                extra={
                  <Space>
                    <ExportButton list="findings" size="small" filter={{ missionId: { eq: id } }} />
                    {canFind?.can && (
                      <Button size="small" onClick={() => setOpen('finding')}>
                        {t('missions.findings.add')}
                      </Button>
                    )}
                  </Space>
                }
              >
                <Table<FindingRow>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={m.findings.nodes}
                  locale={{ emptyText: t('table.empty') }}
                  columns={[
                    {
                      title: t('missions.findings.kind'),
                      dataIndex: 'kind',
                      render: (v: string) => (
                        <Tag color={v === 'VIOLATION' ? 'red' : v === 'ACHIEVEMENT' ? 'green' : 'orange'}>
                          {t(`enums.FindingKind.${v}`)}
                        </Tag>
                      ),
                    },
                    { title: t('missions.findings.description'), dataIndex: 'description' },
                    { title: t('missions.findings.unit'), dataIndex: ['unit', 'name'], render: (v) => v ?? '—' },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card
                title={t('recommendations.recommendations')}
                size="small"
                style={{ marginTop: 16 }}
                extra={
                  <Space>
                    <ExportButton list="recommendations" size="small" filter={{ missionId: { eq: id } }} />
                    {canFind?.can && (
                      <Button size="small" onClick={() => setOpen('recommendation')}>
                        {t('recommendations.add')}
                      </Button>
                    )}
                  </Space>
                }
              >
                <Table<RecommendationRow>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={m.recommendations.nodes}
                  locale={{ emptyText: t('table.empty') }}
                  columns={[
                    { title: t('recommendations.fields.content'), dataIndex: 'content' },
                    { title: t('recommendations.fields.addressee'), dataIndex: ['addressee', 'name'] },
                    {
                      title: t('recommendations.fields.dueDate'),
                      dataIndex: 'dueDate',
                      render: (v, r) => (
                        <span style={{ color: r.overdue ? '#cf1322' : undefined }}>
                          <DateText value={v} />
                        </span>
                      ),
                    },
                    {
                      title: t('recommendations.fields.status'),
                      dataIndex: 'status',
                      render: (v: string) => <StatusTag status={v} enumName="RecommendationStatus" />,
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>

          <Modal
            open={!!open}
            title={
              open === 'finding'
                ? t('missions.findings.add')
                : open === 'recommendation'
                  ? t('recommendations.add')
                  : t('missions.actions.cancel')
            }
            onCancel={() => setOpen(null)}
            onOk={submitModal}
            okText={t('buttons.save')}
            confirmLoading={pending}
            destroyOnHidden
          >
            <Form form={form} layout="vertical" preserve={false}>
              {open === 'finding' && (
                <>
                  <Form.Item name="kind" label={t('missions.findings.kind')} rules={[{ required: true }]}>
                    <EnumSelect enumName="FindingKind" values={FINDING_KINDS} />
                  </Form.Item>
                  <Form.Item name="description" label={t('missions.findings.description')} rules={[{ required: true }]}>
                    <Input.TextArea rows={3} />
                  </Form.Item>
                  <Form.Item name="unitId" label={t('missions.findings.unit')}>
                    <UnitSelect />
                  </Form.Item>
                  <Form.Item name="componentId" label={t('missions.fields.components')}>
                    <ComponentSelect />
                  </Form.Item>
                </>
              )}
              {open === 'recommendation' && (
                <>
                  <Form.Item name="content" label={t('recommendations.fields.content')} rules={[{ required: true }]}>
                    <Input.TextArea rows={3} />
                  </Form.Item>
                  <Form.Item name="addresseeId" label={t('recommendations.fields.addressee')} rules={[{ required: true }]}>
                    <UnitSelect />
                  </Form.Item>
                  <Form.Item name="findingId" label={t('recommendations.fields.finding')}>
                    <Select allowClear options={m.findings.nodes.map((f) => ({ value: f.id, label: f.description.slice(0, 80) }))} />
                  </Form.Item>
                  <Form.Item name="dueDate" label={t('recommendations.fields.dueDate')} {...dateItemProps}>
                    <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
                  </Form.Item>
                </>
              )}
              {open === 'cancel' && (
                <Form.Item name="reason" label={t('missions.fields.cancelReason')} rules={[{ required: true }]}>
                  <Input.TextArea rows={3} />
                </Form.Item>
              )}
            </Form>
          </Modal>
        </>
      )}
    </Show>
  );
}
