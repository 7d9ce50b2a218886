import { useMemo, useState } from 'react';
import { CreateButton, Show } from '@refinedev/antd';
import { useCan, useCustom, useList, useShow, useTranslate } from '@refinedev/core';
import { Button, Card, DatePicker, Descriptions, Form, Popconfirm, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { DATE_FORMAT } from '../../components/format';
import { dateItemProps } from '../../components/formatted';
import { KindTag } from '../../components/status';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import type { ProgramRecord } from './list';
import { DeadlineRulesCard } from './deadline-rules';

interface ComponentRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent: { id: string } | null;
  children?: ComponentRow[];
}

interface ReportingUnitRow {
  id: string;
  code: string;
  name: string;
  kind: string;
}

function ComponentsCard({ programId }: { programId: string }) {
  const t = useTranslate();
  const navigate = useNavigate();
  const { result, query } = useList<ComponentRow>({
    resource: 'programComponents',
    filters: [{ field: 'programId', operator: 'eq', value: programId }],
    sorters: [{ field: 'code', order: 'asc' }],
    pagination: { mode: 'off' },
  });
  const tree = useMemo(() => {
    const rows = (result?.data ?? []).map((r) => ({ ...r }));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const roots: ComponentRow[] = [];
    for (const r of rows) {
      const parent = r.parent && byId.get(r.parent.id);
      if (parent) (parent.children ??= []).push(r);
      else roots.push(r);
    }
    return roots;
  }, [result?.data]);
  return (
    <Card
      title={t('programs.fields.components')}
      style={{ marginTop: 16 }}
      extra={
        <CreateButton
          resource="programComponents"
          size="small"
          onClick={() => navigate(`/program-components/create?programId=${programId}`)}
        />
      }
    >
      <Table<ComponentRow>
        key={query.isLoading ? 'loading' : 'ready'}
        rowKey="id"
        size="small"
        loading={query.isLoading}
        dataSource={tree}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ defaultExpandAllRows: true }}
        locale={{ emptyText: t('table.empty') }}
        columns={[
          { title: t('programComponents.fields.code'), dataIndex: 'code', width: 140 },
          {
            title: t('programComponents.fields.name'),
            dataIndex: 'name',
            render: (name: string, r) => <Link to={`/program-components/show/${r.id}`}>{name}</Link>,
            onCell: () => ({ style: { whiteSpace: 'normal', minWidth: 260 } }),
          },
          {
            title: t('programComponents.fields.kind'),
            dataIndex: 'kind',
            render: (k: string) => <KindTag kind={k} enumName="ComponentKind" />,
          },
        ]}
      />
    </Card>
  );
}

function ReportingUnitsCard({ programId }: { programId: string }) {
  const t = useTranslate();
  const [validOn, setValidOn] = useState<string | null>(dayjs().format('YYYY-MM-DD'));
  const { data: canEdit } = useCan({ resource: 'programs', action: 'reportingUnits' });
  const { result, query } = useCustom<{ reportingUnits: ReportingUnitRow[] }>({
    url: '/graphql',
    method: 'post',
    meta: {
      query: 'query($p: ID!, $d: Date) { reportingUnits(programId: $p, validOn: $d) { id code name kind } }',
      variables: { p: programId, d: validOn },
    },
    queryOptions: { queryKey: ['reportingUnits', programId, validOn] },
  });
  const { run, pending } = useAction();
  const [form] = Form.useForm<{ unitId: string; validFrom: string | null }>();

  const add = async (values: { unitId: string; validFrom: string | null }) => {
    const ok = await run(
      () =>
        gql('mutation($p: ID!, $u: ID!, $f: Date) { addReportingUnit(programId: $p, unitId: $u, validFrom: $f) { id } }', {
          p: programId,
          u: values.unitId,
          f: values.validFrom,
        }),
      t('notifications.success'),
    );
    if (ok) {
      form.resetFields();
      await query.refetch();
    }
  };
  const remove = async (unitId: string) => {
    const ok = await run(
      () =>
        gql('mutation($p: ID!, $u: ID!, $to: Date!) { removeReportingUnit(programId: $p, unitId: $u, validTo: $to) { id } }', {
          p: programId,
          u: unitId,
          to: dayjs().format('YYYY-MM-DD'),
        }),
      t('notifications.success'),
    );
    if (ok) await query.refetch();
  };

  return (
    <Card
      title={t('programs.reportingUnits.title')}
      style={{ marginTop: 16 }}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('programs.reportingUnits.validOn')}</Typography.Text>
          <DatePicker
            size="small"
            format={DATE_FORMAT}
            value={validOn ? dayjs(validOn) : null}
            onChange={(d) => setValidOn(d ? d.format('YYYY-MM-DD') : null)}
          />
        </Space>
      }
    >
      {canEdit?.can && (
        <Form form={form} layout="inline" onFinish={add} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="unitId" rules={[{ required: true }]} style={{ minWidth: 260, flex: 1 }}>
            <UnitSelect
              placeholder={t('programs.reportingUnits.unit')}
              filters={[{ field: 'kind', operator: 'in', value: ['COMMUNE', 'AGENCY', 'DISTRICT'] }]}
            />
          </Form.Item>
          <Form.Item name="validFrom" {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} placeholder={t('units.fields.validFrom')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={pending}>
            {t('programs.reportingUnits.add')}
          </Button>
        </Form>
      )}
      <Table<ReportingUnitRow>
        rowKey="id"
        size="small"
        loading={query.isLoading}
        dataSource={result?.data?.reportingUnits ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('programs.reportingUnits.empty') }}
        columns={[
          { title: t('units.fields.code'), dataIndex: 'code' },
          { title: t('units.fields.name'), dataIndex: 'name', render: (name: string, r) => <Link to={`/units/show/${r.id}`}>{name}</Link> },
          { title: t('units.fields.kind'), dataIndex: 'kind', render: (k: string) => <KindTag kind={k} /> },
          ...(canEdit?.can
            ? [
                {
                  title: t('table.actions'),
                  render: (_: unknown, r: ReportingUnitRow) => (
                    <Popconfirm
                      title={t('buttons.confirm')}
                      onConfirm={() => remove(r.id)}
                      okText={t('buttons.remove')}
                      cancelText={t('buttons.cancel')}
                    >
                      <Button size="small" danger>
                        {t('buttons.remove')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export default function ProgramShow() {
  const t = useTranslate();
  const { query, result: program } = useShow<ProgramRecord>();
  return (
    <Show isLoading={query.isLoading}>
      {program && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('programs.fields.code')}>{program.code}</Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.period')}>
              {program.startYear}–{program.endYear}
            </Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.name')} span={2}>
              {program.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.decisionRef')} span={2}>
              {program.decisionRef ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <ComponentsCard programId={program.id} />
          <ReportingUnitsCard programId={program.id} />
          <DeadlineRulesCard programId={program.id} />
        </>
      )}
    </Show>
  );
}
