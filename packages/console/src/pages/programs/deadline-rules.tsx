import { useState } from 'react';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Card, Checkbox, DatePicker, Form, InputNumber, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { showFieldErrors, useGql, useRefreshAll } from '../../components/api';
import { DATE_FORMAT, formatDate } from '../../components/format';
import { dateItemProps } from '../../components/formatted';
import { EnumSelect, REPORT_TYPES } from '../../components/inputs';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';

export interface DeadlineRuleRow {
  id: string;
  version: number;
  reportType: string;
  level: string | null;
  kind: string;
  date: string | null;
  month: number | null;
  day: number | null;
  workingDays: number | null;
  before: boolean;
}

interface RuleValues {
  reportType: string;
  level?: string | null;
  kind: string;
  date?: string | null;
  month?: number | null;
  day?: number | null;
  workingDays?: number | null;
  before?: boolean;
}

const DEADLINE_KINDS = ['FIXED_DATE', 'YEARLY', 'WORKING_DAYS_AFTER_EVENT', 'ON_REQUEST'];
const LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'AGENCY'];
const FIELDS = 'id version reportType level kind date month day workingDays before';

/** The fields a kind uses; the others are sent as null so an edit clears them. */
function ruleInput(values: RuleValues) {
  const kind = values.kind;
  return {
    reportType: values.reportType,
    level: values.level ?? null,
    kind,
    date: kind === 'FIXED_DATE' ? (values.date ?? null) : null,
    month: kind === 'YEARLY' ? (values.month ?? null) : null,
    day: kind === 'YEARLY' ? (values.day ?? null) : null,
    workingDays: kind === 'WORKING_DAYS_AFTER_EVENT' ? (values.workingDays ?? null) : null,
    before: !!values.before,
  };
}

/** ADMIN edits the program's deadline rules (reportType, level, kind and its date/month/day/working days, before). */
export function DeadlineRulesCard({ programId }: { programId: string }) {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const { data: canEdit } = useCan({ resource: 'programs', action: 'deadlineRules' });
  const { data, isLoading } = useGql<{ deadlineRules: DeadlineRuleRow[] }>(
    'deadlineRules',
    `query($p: ID!) { deadlineRules(programId: $p) { ${FIELDS} } }`,
    { p: programId },
  );
  const [editing, setEditing] = useState<DeadlineRuleRow | 'new' | null>(null);
  const [form] = Form.useForm<RuleValues>();
  const kind = Form.useWatch('kind', form);

  const open = (r: DeadlineRuleRow | 'new') => {
    form.resetFields();
    if (r !== 'new') form.setFieldsValue({ ...r, level: r.level ?? undefined });
    else form.setFieldsValue({ before: false });
    setEditing(r);
  };
  const save = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        if (editing === 'new')
          return await gql(`mutation($input: CreateDeadlineRuleInput!) { createDeadlineRule(input: $input) { id } }`, {
            input: { ...ruleInput(values), programId },
          });
        return await gql(
          `mutation($id: ID!, $version: Int!, $input: UpdateDeadlineRuleInput!) { updateDeadlineRule(id: $id, version: $version, input: $input) { id } }`,
          { id: (editing as DeadlineRuleRow).id, version: (editing as DeadlineRuleRow).version, input: ruleInput(values) },
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
  const archive = async (r: DeadlineRuleRow) => {
    const done = await run(
      () =>
        gql('mutation($id: ID!, $version: Int!) { archiveDeadlineRule(id: $id, version: $version) { id } }', {
          id: r.id,
          version: r.version,
        }),
      t('notifications.success'),
    );
    if (done) await refresh();
  };
  const describe = (r: DeadlineRuleRow) => {
    const when = r.before ? t('deadlineRules.describe.before') : t('deadlineRules.describe.by');
    switch (r.kind) {
      case 'FIXED_DATE':
        return `${when} ${formatDate(r.date)}`;
      case 'YEARLY':
        return `${when} ${t('deadlineRules.describe.yearly', { day: r.day, month: r.month })}`;
      case 'WORKING_DAYS_AFTER_EVENT':
        return t('deadlineRules.describe.workingDays', { n: r.workingDays });
      default:
        return t('deadlineRules.describe.onRequest');
    }
  };

  return (
    <Card
      title={t('deadlineRules.title')}
      style={{ marginTop: 16 }}
      data-testid="deadline-rules"
      extra={
        canEdit?.can && (
          <Button size="small" type="primary" onClick={() => open('new')} data-testid="deadline-rule-add">
            {t('deadlineRules.add')}
          </Button>
        )
      }
    >
      <Table<DeadlineRuleRow>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.deadlineRules ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('deadlineRules.empty') }}
        columns={[
          { title: t('deadlineRules.fields.reportType'), dataIndex: 'reportType', render: (v: string) => t(`enums.ReportType.${v}`) },
          {
            title: t('deadlineRules.fields.level'),
            dataIndex: 'level',
            render: (v: string | null) => (v ? t(`enums.UnitKind.${v}`) : t('deadlineRules.anyLevel')),
          },
          { title: t('deadlineRules.fields.kind'), dataIndex: 'kind', render: (v: string) => t(`enums.DeadlineKind.${v}`) },
          { title: t('deadlineRules.fields.deadline'), key: 'deadline', render: (_, r) => describe(r) },
          ...(canEdit?.can
            ? [
                {
                  title: t('table.actions'),
                  key: 'actions',
                  render: (_: unknown, r: DeadlineRuleRow) => (
                    <Space>
                      <Button size="small" onClick={() => open(r)}>
                        {t('buttons.edit')}
                      </Button>
                      <Popconfirm
                        title={t('deadlineRules.archiveConfirm')}
                        onConfirm={() => archive(r)}
                        okText={t('deadlineRules.archive')}
                        cancelText={t('buttons.cancel')}
                      >
                        <Button size="small" danger>
                          {t('deadlineRules.archive')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('deadlineRules.add') : t('deadlineRules.edit')}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText={t('buttons.save')}
        cancelText={t('buttons.cancel')}
        confirmLoading={pending}
        forceRender
      >
        <Form form={form} layout="vertical" data-testid="deadline-rule-form">
          <Form.Item name="reportType" label={t('deadlineRules.fields.reportType')} rules={[{ required: true }]}>
            <EnumSelect enumName="ReportType" values={REPORT_TYPES} id="rule-reportType" />
          </Form.Item>
          <Form.Item name="level" label={t('deadlineRules.fields.level')}>
            <Select
              allowClear
              id="rule-level"
              placeholder={t('deadlineRules.anyLevel')}
              options={LEVELS.map((k) => ({ value: k, label: t(`enums.UnitKind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('deadlineRules.fields.kind')} rules={[{ required: true }]}>
            <EnumSelect enumName="DeadlineKind" values={DEADLINE_KINDS} id="rule-kind" />
          </Form.Item>
          {kind === 'FIXED_DATE' && (
            <Form.Item name="date" label={t('deadlineRules.fields.date')} rules={[{ required: true }]} {...dateItemProps}>
              <DatePicker format={DATE_FORMAT} id="rule-date" />
            </Form.Item>
          )}
          {kind === 'YEARLY' && (
            <Space>
              <Form.Item name="day" label={t('deadlineRules.fields.day')} rules={[{ required: true }]}>
                <InputNumber min={1} max={31} id="rule-day" />
              </Form.Item>
              <Form.Item name="month" label={t('deadlineRules.fields.month')} rules={[{ required: true }]}>
                <InputNumber min={1} max={12} id="rule-month" />
              </Form.Item>
            </Space>
          )}
          {kind === 'WORKING_DAYS_AFTER_EVENT' && (
            <Form.Item name="workingDays" label={t('deadlineRules.fields.workingDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={366} id="rule-workingDays" />
            </Form.Item>
          )}
          {kind !== 'ON_REQUEST' && kind !== 'WORKING_DAYS_AFTER_EVENT' && (
            <Form.Item name="before" valuePropName="checked">
              <Checkbox id="rule-before">{t('deadlineRules.fields.before')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
