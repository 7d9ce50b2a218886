import { useState } from 'react';
import { List, useTable } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { showFieldErrors, useRefreshAll } from '../../components/api';
import { DATE_FORMAT } from '../../components/format';
import { DateText, dateItemProps } from '../../components/formatted';
import { ComponentSelect, EnumSelect, OBLIGATION_STATUSES, REPORT_TYPES, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import { StatusTag } from '../missions/list';
import { useProgramOptions, type ObligationRow } from '../my-deadlines';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface Search {
  year?: number;
  type?: string;
  status?: string;
  submitterId?: string;
}

/** Every obligation in scope: filter, add an ad hoc one, cancel one that is no longer owed. */
export default function ObligationList() {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const programs = useProgramOptions();
  const { data: canManage } = useCan({ resource: 'reportingObligations', action: 'generateObligations' });
  const [adding, setAdding] = useState(false);
  const [cancelling, setCancelling] = useState<ObligationRow | null>(null);
  const [form] = Form.useForm();
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const { tableProps, searchFormProps, filters } = useTable<ObligationRow, any, Search>({
    resource: 'reportingObligations',
    sorters: { initial: [{ field: 'dueDate', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ year, type, status, submitterId }) => [
      { field: 'year', operator: 'eq', value: year },
      { field: 'type', operator: 'eq', value: type },
      { field: 'status', operator: 'eq', value: status },
      { field: 'underUnit', operator: 'eq', value: submitterId },
    ],
  });
  const submit = () => searchFormProps.form?.submit();

  const create = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: CreateObligationInput!) { createObligation(input: $input) { id } }', { input: values });
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('notifications.success'));
    if (done) {
      setAdding(false);
      form.resetFields();
      await refresh();
    }
  };
  const cancel = async () => {
    const { reason } = await cancelForm.validateFields();
    const done = await run(
      () =>
        gql(
          'mutation($id: ID!, $version: Int!, $reason: String!) { cancelObligation(id: $id, version: $version, reason: $reason) { id } }',
          {
            id: cancelling!.id,
            version: cancelling!.version,
            reason,
          },
        ),
      t('notifications.success'),
    );
    if (done) {
      setCancelling(null);
      await refresh();
    }
  };

  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="reportingObligations" filter={toFilter(filters)} />
          {canManage?.can && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t('reportingObligations.adHoc')}
            </Button>
          )}
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="year">
          <YearInput placeholder={t('fundingAllocations.fields.year')} style={{ width: 110 }} onChange={submit} />
        </Form.Item>
        <Form.Item name="type">
          <EnumSelect
            enumName="ReportType"
            values={REPORT_TYPES}
            placeholder={t('reports.fields.type')}
            style={{ width: 220 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="status">
          <EnumSelect
            enumName="ObligationStatus"
            values={OBLIGATION_STATUSES}
            placeholder={t('reports.fields.status')}
            style={{ width: 160 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="submitterId">
          <UnitSelect placeholder={t('reports.fields.submitter')} style={{ width: 240 }} onChange={submit} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1000 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column dataIndex="dueDate" title={t('reports.fields.dueDate')} sorter render={(v) => <DateText value={v} />} />
        <Table.Column<ObligationRow>
          dataIndex="title"
          title={t('reports.fields.title')}
          sorter
          render={(v, r) => <Link to={`/reports/edit/${r.id}`}>{v}</Link>}
        />
        <Table.Column dataIndex="type" title={t('reports.fields.type')} render={(v: string) => t(`enums.ReportType.${v}`)} />
        <Table.Column dataIndex={['submitter', 'name']} title={t('reports.fields.submitter')} />
        <Table.Column<ObligationRow>
          dataIndex="status"
          title={t('reports.fields.status')}
          render={(v: string, r) => (
            <>
              <StatusTag status={v} enumName="ObligationStatus" />
              {r.daysLate ? <Tag color="red">{t('reports.daysLate', { count: r.daysLate })}</Tag> : null}
            </>
          )}
        />
        {canManage?.can && (
          <Table.Column<ObligationRow>
            title={t('table.actions')}
            render={(_, r) =>
              r.status !== 'CANCELLED' &&
              r.status !== 'ACCEPTED' && (
                <Button size="small" danger onClick={() => setCancelling(r)}>
                  {t('reportingObligations.cancel')}
                </Button>
              )
            }
          />
        )}
      </Table>

      <Modal
        open={adding}
        title={t('reportingObligations.adHoc')}
        onCancel={() => setAdding(false)}
        onOk={create}
        confirmLoading={pending}
        okText={t('buttons.save')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ programId: programs[0]?.value, type: 'MONITORING_ADHOC' }}>
          <Form.Item name="programId" label={t('programs.programs')} rules={[{ required: true }]}>
            <Select options={programs} />
          </Form.Item>
          <Form.Item name="type" label={t('reports.fields.type')} rules={[{ required: true }]}>
            <EnumSelect enumName="ReportType" values={REPORT_TYPES} allowClear={false} />
          </Form.Item>
          <Form.Item name="title" label={t('reports.fields.title')}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="submitterId" label={t('reports.fields.submitter')} rules={[{ required: true }]}>
            <UnitSelect />
          </Form.Item>
          <Form.Item name="dueDate" label={t('reports.fields.dueDate')} rules={[{ required: true }]} {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="componentId" label={t('fundingAllocations.fields.component')}>
            <ComponentSelect />
          </Form.Item>
          <Form.Item name="recipientIds" label={t('reports.fields.recipients')} extra={t('reportingObligations.recipientsHint')}>
            <UnitSelect mode="multiple" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!cancelling}
        title={t('reportingObligations.cancel')}
        onCancel={() => setCancelling(null)}
        onOk={cancel}
        confirmLoading={pending}
        okButtonProps={{ danger: true }}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{cancelling?.title}</span>
          <Form form={cancelForm} layout="vertical" preserve={false}>
            <Form.Item name="reason" label={t('missions.fields.cancelReason')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </Form>
        </Space>
      </Modal>
    </List>
  );
}
