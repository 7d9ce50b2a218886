import { useState } from 'react';
import { useTable } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Form, Input, Modal, Space, Table } from 'antd';
import { showFieldErrors, thisYear, useRefreshAll } from '../../components/api';
import { YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { ExportButton } from '../../components/export-button';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';

interface PlanRow {
  id: string;
  year: number;
  title: string;
  documentRef: string | null;
  unit: { id: string; name: string };
}

/** Yearly monitoring plans (the district's M&E plan); missions are attached to one when planned. */
export function MonitoringPlans() {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { data: canCreate } = useCan({ resource: 'monitoringPlans', action: 'create' });
  const { tableProps } = useTable<PlanRow>({
    resource: 'monitoringPlans',
    syncWithLocation: false,
    sorters: { initial: [{ field: 'year', order: 'desc' }] },
    pagination: { pageSize: 20 },
  });
  const create = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: CreateMonitoringPlanInput!) { createMonitoringPlan(input: $input) { id } }', { input: values });
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('notifications.success'));
    if (done) {
      setOpen(false);
      form.resetFields();
      await refresh();
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {canCreate?.can && <Button onClick={() => setOpen(true)}>{t('missions.plans.add')}</Button>}
        <ExportButton list="monitoringPlans" />
      </Space>
      <Table {...tableProps} rowKey="id" size="middle" scroll={{ x: 800 }}>
        <Table.Column dataIndex="year" title={t('fundingAllocations.fields.year')} sorter />
        <Table.Column dataIndex="title" title={t('missions.plans.title')} />
        <Table.Column dataIndex={['unit', 'name']} title={t('fundingAllocations.fields.unit')} />
        <Table.Column dataIndex="documentRef" title={t('missions.plans.documentRef')} render={(v) => v ?? '—'} />
      </Table>
      <Modal
        open={open}
        title={t('missions.plans.add')}
        onCancel={() => setOpen(false)}
        onOk={create}
        confirmLoading={pending}
        okText={t('buttons.save')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ year: thisYear() }}>
          <Form.Item name="title" label={t('missions.plans.title')} rules={[{ required: true }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="year" label={t('fundingAllocations.fields.year')} rules={[{ required: true }]}>
            <YearInput />
          </Form.Item>
          <Form.Item name="unitId" label={t('fundingAllocations.fields.unit')} rules={[{ required: true }]}>
            <UnitSelect />
          </Form.Item>
          <Form.Item name="documentRef" label={t('missions.plans.documentRef')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
