import { useState } from 'react';
import { Show } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Table, Tag, Typography } from 'antd';
import { useParams } from 'react-router';
import { formatRate, newKey, showFieldErrors, useGql, useRefreshAll } from '../../components/api';
import { DATE_FORMAT, formatDateTime } from '../../components/format';
import { DateText, Money, dateItemProps } from '../../components/formatted';
import { MoneyInput } from '../../components/inputs';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import type { AllocationRecord } from './list';
import { ExportButton } from '../../components/export-button';

interface Revision {
  id: string;
  plannedAmount: string;
  allocatedAmount: string;
  decisionRef: string | null;
  reason: string | null;
  createdAt: string;
}
interface DisbursementRow {
  id: string;
  date: string;
  amount: string;
  reference: string | null;
  createdAt: string;
}
interface Detail extends AllocationRecord {
  revisions: Revision[];
  disbursements: { nodes: DisbursementRow[]; totalCount: number };
}

const DETAIL = `query($id: ID!) { fundingAllocation(id: $id) {
  id version year source plannedAmount allocatedAmount disbursedAmount disbursementRate decisionRef
  component { id code name } unit { id code name }
  revisions { id plannedAmount allocatedAmount decisionRef reason createdAt }
  disbursements(orderBy: [{ field: DATE, direction: ASC }, { field: CREATED_AT, direction: ASC }], limit: 500) { totalCount nodes { id date amount reference createdAt } }
} }`;

/** Exact running totals over `Money` strings (BigInt: VND amounts can exceed 2^53). */
function withRunningTotal(rows: DisbursementRow[]) {
  let total = 0n;
  return rows.map((r) => {
    total += BigInt(r.amount);
    return { ...r, runningTotal: total.toString() };
  });
}

export default function AllocationShow() {
  const t = useTranslate();
  const { id = '' } = useParams();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const { data, isLoading } = useGql<{ fundingAllocation: Detail | null }>('allocation', DETAIL, { id });
  const a = data?.fundingAllocation;
  const { data: canRevise } = useCan({ resource: 'fundingAllocations', action: 'reviseAllocation' });
  const { data: canDisburse } = useCan({ resource: 'fundingAllocations', action: 'recordDisbursement' });
  const [revising, setRevising] = useState(false);
  const [reviseForm] = Form.useForm();
  const [disburseForm] = Form.useForm();

  const revise = async () => {
    const values = await reviseForm.validateFields();
    try {
      await gql(
        'mutation($id: ID!, $version: Int!, $input: ReviseFundingAllocationInput!) { reviseFundingAllocation(id: $id, version: $version, input: $input) { id } }',
        {
          id,
          version: a!.version,
          input: values,
        },
      );
      setRevising(false);
      reviseForm.resetFields();
      await refresh();
    } catch (e) {
      if (!showFieldErrors(reviseForm, e)) await run(() => Promise.reject(e));
    }
  };

  const disburse = async () => {
    const values = await disburseForm.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { id } }', {
          input: { ...values, allocationId: id, idempotencyKey: newKey() },
        });
      } catch (e) {
        showFieldErrors(disburseForm, e);
        throw e;
      }
    }, t('fundingAllocations.disbursements.recorded'));
    if (done) {
      disburseForm.resetFields();
      await refresh();
    }
  };

  const rows = withRunningTotal(a?.disbursements.nodes ?? []);
  return (
    <Show resource="fundingAllocations" isLoading={isLoading} recordItemId={id} headerButtons={() => null}>
      {a && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="allocation-detail">
            <Descriptions.Item label={t('fundingAllocations.fields.component')}>
              {a.component.code} · {a.component.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.unit')}>{a.unit.name}</Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.year')}>{a.year}</Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.source')}>{t(`enums.FundingSource.${a.source}`)}</Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.plannedAmount')}>
              <Money value={a.plannedAmount} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.allocatedAmount')}>
              <Money value={a.allocatedAmount} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.disbursedAmount')}>
              <Money value={a.disbursedAmount} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.disbursementRate')}>{formatRate(a.disbursementRate)}</Descriptions.Item>
            <Descriptions.Item label={t('fundingAllocations.fields.decisionRef')}>{a.decisionRef ?? '—'}</Descriptions.Item>
          </Descriptions>

          <Card
            title={t('fundingAllocations.revisions.title')}
            style={{ marginTop: 16 }}
            extra={
              canRevise?.can && (
                <Button size="small" onClick={() => setRevising(true)} data-testid="revise">
                  {t('fundingAllocations.revisions.revise')}
                </Button>
              )
            }
          >
            <Table<Revision>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={a.revisions}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: '#', render: (_, __, i) => (i === 0 ? <Tag>{t('fundingAllocations.revisions.original')}</Tag> : i) },
                {
                  title: t('fundingAllocations.fields.plannedAmount'),
                  dataIndex: 'plannedAmount',
                  align: 'right',
                  render: (v) => <Money value={v} />,
                },
                {
                  title: t('fundingAllocations.fields.allocatedAmount'),
                  dataIndex: 'allocatedAmount',
                  align: 'right',
                  render: (v) => <Money value={v} />,
                },
                { title: t('fundingAllocations.fields.decisionRef'), dataIndex: 'decisionRef', render: (v) => v ?? '—' },
                { title: t('fundingAllocations.revisions.reason'), dataIndex: 'reason', render: (v) => v ?? '—' },
                { title: t('fundingAllocations.revisions.at'), dataIndex: 'createdAt', render: (v) => formatDateTime(v) },
              ]}
            />
          </Card>

          <Card
            title={t('fundingAllocations.disbursements.title')}
            style={{ marginTop: 16 }}
            extra={<ExportButton list="disbursements" size="small" filter={{ allocationId: { eq: id } }} />}
          >
            {canDisburse?.can && (
              <Form form={disburseForm} layout="vertical" data-testid="disbursement-form">
                <Row gutter={12} align="bottom">
                  <Col xs={24} md={5}>
                    <Form.Item
                      name="date"
                      label={t('fundingAllocations.disbursements.date')}
                      rules={[{ required: true }]}
                      {...dateItemProps}
                    >
                      <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={7}>
                    <Form.Item
                      name="amount"
                      label={t('fundingAllocations.disbursements.amount')}
                      rules={[{ required: true }]}
                      tooltip={t('fundingAllocations.disbursements.negativeHint')}
                    >
                      <MoneyInput />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={7}>
                    <Form.Item name="reference" label={t('fundingAllocations.disbursements.reference')}>
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={5}>
                    <Form.Item>
                      <Button type="primary" onClick={disburse} loading={pending} block>
                        {t('fundingAllocations.disbursements.record')}
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              </Form>
            )}
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={rows}
              scroll={{ x: 'max-content' }}
              data-testid="disbursements"
              locale={{ emptyText: t('table.empty') }}
              columns={[
                { title: t('fundingAllocations.disbursements.date'), dataIndex: 'date', render: (v) => <DateText value={v} /> },
                {
                  title: t('fundingAllocations.disbursements.amount'),
                  dataIndex: 'amount',
                  align: 'right',
                  render: (v: string) => (
                    <Typography.Text type={v.startsWith('-') ? 'danger' : undefined}>
                      <Money value={v} />
                    </Typography.Text>
                  ),
                },
                {
                  title: t('fundingAllocations.disbursements.runningTotal'),
                  dataIndex: 'runningTotal',
                  align: 'right',
                  render: (v) => <Money value={v} />,
                },
                { title: t('fundingAllocations.disbursements.reference'), dataIndex: 'reference', render: (v) => v ?? '—' },
              ]}
            />
          </Card>

          <Modal
            open={revising}
            title={t('fundingAllocations.revisions.revise')}
            onCancel={() => setRevising(false)}
            onOk={revise}
            okText={t('buttons.save')}
            destroyOnHidden
          >
            <Form
              form={reviseForm}
              layout="vertical"
              initialValues={{ plannedAmount: a.plannedAmount, allocatedAmount: a.allocatedAmount }}
            >
              <Form.Item name="plannedAmount" label={t('fundingAllocations.fields.plannedAmount')}>
                <MoneyInput />
              </Form.Item>
              <Form.Item name="allocatedAmount" label={t('fundingAllocations.fields.allocatedAmount')}>
                <MoneyInput />
              </Form.Item>
              <Form.Item name="decisionRef" label={t('fundingAllocations.fields.decisionRef')} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="reason" label={t('fundingAllocations.revisions.reason')}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Form>
          </Modal>
        </>
      )}
    </Show>
  );
}
