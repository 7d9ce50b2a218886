import { useState } from 'react';
import { Show } from '@refinedev/antd';
import { useCan, useCustom, useList, useShow, useTranslate } from '@refinedev/core';
import { Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { KindTag } from '../../components/status';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import type { ComponentRecord } from './list';

interface District {
  id: string;
  code: string;
  name: string;
}
type UnitRef = { id: string; code: string; name: string } | null;

function AssignAgency({ componentId, district, onDone }: { componentId: string; district: District; onDone: () => void }) {
  const t = useTranslate();
  const [agencyId, setAgencyId] = useState<string>();
  const { run, pending } = useAction();
  const assign = async () => {
    const ok = await run(
      () =>
        gql('mutation($c: ID!, $u: ID!, $a: ID!) { assignLeadAgency(componentId: $c, unitId: $u, agencyId: $a) { id } }', {
          c: componentId,
          u: district.id,
          a: agencyId,
        }),
      t('programComponents.leadAgency.assigned'),
    );
    if (ok) onDone();
  };
  return (
    <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
      <UnitSelect
        size="small"
        value={agencyId}
        onChange={(v) => setAgencyId(v as string)}
        placeholder={t('programComponents.leadAgency.agency')}
        filters={[
          { field: 'kind', operator: 'eq', value: 'AGENCY' },
          { field: 'underUnit', operator: 'eq', value: district.id },
        ]}
      />
      <Button size="small" type="primary" disabled={!agencyId} loading={pending} onClick={assign}>
        {t('programComponents.leadAgency.assign')}
      </Button>
    </Space.Compact>
  );
}

/** The lead agency of this component in each district (one aliased field per district, one request). */
function LeadAgencies({ componentId }: { componentId: string }) {
  const t = useTranslate();
  const { data: canAssign } = useCan({ resource: 'programComponents', action: 'assignLeadAgency' });
  const { result: districts } = useList<District>({
    resource: 'units',
    filters: [{ field: 'kind', operator: 'eq', value: 'DISTRICT' }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
  });
  const list = districts?.data ?? [];
  const aliases = list.map((d, i) => `d${i}: leadAgency(unitId: "${d.id}") { id code name }`).join(' ');
  const { result, query } = useCustom<{ programComponent: Record<string, UnitRef> }>({
    url: '/graphql',
    method: 'post',
    meta: { query: `query($id: ID!) { programComponent(id: $id) { id ${aliases} } }`, variables: { id: componentId } },
    queryOptions: { enabled: list.length > 0, queryKey: ['leadAgencies', componentId, list.map((d) => d.id).join(',')] },
  });
  const lead = result?.data?.programComponent ?? {};
  return (
    <Card title={t('programComponents.leadAgency.title')} style={{ marginTop: 16 }}>
      <Table<District>
        rowKey="id"
        size="small"
        dataSource={list}
        loading={query.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('table.empty') }}
        columns={[
          {
            title: t('programComponents.leadAgency.district'),
            dataIndex: 'name',
            render: (name: string, d) => <Link to={`/units/show/${d.id}`}>{name}</Link>,
          },
          {
            title: t('programComponents.leadAgency.agency'),
            render: (_, _d, i) => {
              const agency = lead[`d${i}`];
              return agency ? agency.name : <Typography.Text type="secondary">{t('programComponents.leadAgency.none')}</Typography.Text>;
            },
          },
          ...(canAssign?.can
            ? [
                {
                  title: t('programComponents.leadAgency.assign'),
                  render: (_: unknown, d: District) => (
                    <AssignAgency componentId={componentId} district={d} onDone={() => query.refetch()} />
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export default function ComponentShow() {
  const t = useTranslate();
  const { query, result: c } = useShow<ComponentRecord>();
  return (
    <Show isLoading={query.isLoading}>
      {c && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('programComponents.fields.code')}>{c.code}</Descriptions.Item>
            <Descriptions.Item label={t('programComponents.fields.kind')}>
              <KindTag kind={c.kind} enumName="ComponentKind" />
            </Descriptions.Item>
            <Descriptions.Item label={t('programComponents.fields.name')} span={2}>
              {c.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('programComponents.fields.program')}>
              <Link to={`/programs/show/${c.program.id}`}>{c.program.code}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('programComponents.fields.parent')}>
              {c.parent ? <Link to={`/program-components/show/${c.parent.id}`}>{c.parent.code}</Link> : '—'}
            </Descriptions.Item>
          </Descriptions>
          <LeadAgencies componentId={c.id} />
        </>
      )}
    </Show>
  );
}
