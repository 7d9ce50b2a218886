import { useState } from 'react';
import { List } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Form, Modal, Select, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { thisYear, useGql, useRefreshAll } from '../../components/api';
import { DateText } from '../../components/formatted';
import { YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import { StatusTag } from '../missions/list';

export interface ObligationRow {
  id: string;
  version: number;
  type: string;
  title: string;
  year: number | null;
  dueDate: string;
  status: string;
  daysLate: number | null;
  submitter: { id: string; name: string };
  recipients?: { id: string; name: string }[];
  report: { id: string; version: number; status: string; title: string; submittedAt: string | null } | null;
}

const DEADLINES = `query { myDeadlines(limit: 100) {
  id version type title year dueDate status daysLate submitter { id name } report { id version status title submittedAt }
} }`;

export function useProgramOptions() {
  const { data } = useGql<{ programs: { nodes: { id: string; code: string; name: string }[] } }>(
    'programs',
    '{ programs(limit: 100) { nodes { id code name } } }',
  );
  return (data?.programs.nodes ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }));
}

/** Obligations generated from the deadline rules for a program year (COORDINATOR, ADMIN). */
function GenerateButton() {
  const t = useTranslate();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const programs = useProgramOptions();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const generate = async () => {
    const v = await form.validateFields();
    const created = await run(() =>
      gql<{ generateObligations: { id: string }[] }>(
        'mutation($programId: ID!, $year: Int!, $underUnit: ID) { generateObligations(programId: $programId, year: $year, underUnit: $underUnit) { id } }',
        v,
      ),
    );
    if (created) {
      Modal.info({ title: t('myDeadlines.generated', { count: created.generateObligations.length }) });
      setOpen(false);
      await refresh();
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('myDeadlines.generate')}</Button>
      <Modal
        open={open}
        title={t('myDeadlines.generate')}
        onCancel={() => setOpen(false)}
        onOk={generate}
        confirmLoading={pending}
        okText={t('myDeadlines.generate')}
      >
        <Form form={form} layout="vertical" initialValues={{ year: thisYear(), programId: programs[0]?.value }}>
          <Form.Item name="programId" label={t('programs.programs')} rules={[{ required: true }]}>
            <Select options={programs} />
          </Form.Item>
          <Form.Item name="year" label={t('fundingAllocations.fields.year')} rules={[{ required: true }]}>
            <YearInput />
          </Form.Item>
          <Form.Item name="underUnit" label={t('myDeadlines.underUnit')}>
            <UnitSelect />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** What the caller's units still owe, soonest first; each opens the report editor. */
export default function MyDeadlines() {
  const t = useTranslate();
  const { data, isLoading } = useGql<{ myDeadlines: ObligationRow[] }>('myDeadlines', DEADLINES);
  const { data: canGenerate } = useCan({ resource: 'myDeadlines', action: 'generateObligations' });
  return (
    <List title={t('myDeadlines.title')} headerButtons={canGenerate?.can ? <GenerateButton /> : undefined}>
      <Table<ObligationRow>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.myDeadlines ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="my-deadlines"
        locale={{ emptyText: t('myDeadlines.empty') }}
        columns={[
          { title: t('reports.fields.dueDate'), dataIndex: 'dueDate', render: (v) => <DateText value={v} /> },
          { title: t('reports.fields.title'), dataIndex: 'title', render: (v, r) => <Link to={`/reports/edit/${r.id}`}>{v}</Link> },
          { title: t('reports.fields.type'), dataIndex: 'type', render: (v: string) => t(`enums.ReportType.${v}`) },
          { title: t('reports.fields.submitter'), dataIndex: ['submitter', 'name'] },
          {
            title: t('reports.fields.status'),
            dataIndex: 'status',
            render: (v: string, r) => (
              <>
                <StatusTag status={v} enumName="ObligationStatus" />
                {r.daysLate ? <Tag color="red">{t('reports.daysLate', { count: r.daysLate })}</Tag> : null}
              </>
            ),
          },
          {
            title: t('table.actions'),
            render: (_, r) => (
              <Link to={`/reports/edit/${r.id}`}>
                <Button size="small" type={r.report ? 'default' : 'primary'}>
                  {r.report ? t('reports.open') : t('reports.write')}
                </Button>
              </Link>
            ),
          },
        ]}
      />
    </List>
  );
}
