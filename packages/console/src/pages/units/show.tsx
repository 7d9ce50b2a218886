import { Show } from '@refinedev/antd';
import { useList, useShow, useTranslate } from '@refinedev/core';
import { Breadcrumb, Descriptions, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { DateText } from '../../components/formatted';
import { KindTag } from '../../components/status';

export interface UnitRecord {
  id: string;
  version: number;
  code: string;
  name: string;
  kind: string;
  level: number;
  validFrom: string | null;
  validTo: string | null;
  archived: boolean;
  parent: { id: string; code: string; name: string } | null;
}

export default function UnitShow() {
  const t = useTranslate();
  const { query, result: unit } = useShow<UnitRecord>();
  const { result: children, query: childrenQuery } = useList<UnitRecord>({
    resource: 'units',
    filters: [{ field: 'parentId', operator: 'eq', value: unit?.id }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 500, mode: 'off' },
    queryOptions: { enabled: !!unit?.id },
  });
  return (
    <Show isLoading={query.isLoading}>
      {unit && (
        <>
          {unit.parent && (
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={[{ title: <Link to={`/units/show/${unit.parent.id}`}>{unit.parent.name}</Link> }, { title: unit.name }]}
            />
          )}
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('units.fields.code')}>{unit.code}</Descriptions.Item>
            <Descriptions.Item label={t('units.fields.name')}>{unit.name}</Descriptions.Item>
            <Descriptions.Item label={t('units.fields.kind')}>
              <KindTag kind={unit.kind} />
            </Descriptions.Item>
            <Descriptions.Item label={t('units.fields.level')}>{unit.level}</Descriptions.Item>
            <Descriptions.Item label={t('units.fields.validFrom')}>
              <DateText value={unit.validFrom} />
            </Descriptions.Item>
            <Descriptions.Item label={t('units.fields.validTo')}>
              {unit.validTo ? <DateText value={unit.validTo} /> : t('common.openEnded')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('units.fields.children')}
          </Typography.Title>
          <Table
            rowKey="id"
            size="small"
            loading={childrenQuery.isLoading}
            dataSource={children?.data ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('table.empty') }}
            columns={[
              { title: t('units.fields.code'), dataIndex: 'code' },
              {
                title: t('units.fields.name'),
                dataIndex: 'name',
                render: (name: string, r) => <Link to={`/units/show/${r.id}`}>{name}</Link>,
              },
              { title: t('units.fields.kind'), dataIndex: 'kind', render: (k: string) => <KindTag kind={k} /> },
            ]}
          />
        </>
      )}
    </Show>
  );
}
