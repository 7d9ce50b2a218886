import { useCallback, useEffect, useState } from 'react';
import { CreateButton, EditButton, List, ShowButton, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useDataProvider, useTranslate, type CrudFilter } from '@refinedev/core';
import { Form, Input, Select, Space, Table, Tabs, Tree, Typography } from 'antd';
import type { DataNode, EventDataNode } from 'antd/es/tree';
import { Link, useNavigate } from 'react-router';
import { DateText } from '../../components/formatted';
import { KindTag } from '../../components/status';
import type { UnitRecord } from './show';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface Search {
  q?: string;
  kind?: string;
}

function UnitTable() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<UnitRecord, any, Search>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ q, kind }) => {
      const filters: CrudFilter[] = [
        {
          operator: 'or',
          value: q
            ? [
                { field: 'name', operator: 'contains', value: q },
                { field: 'code', operator: 'contains', value: q },
              ]
            : [],
        },
        { field: 'kind', operator: 'eq', value: kind },
      ];
      return filters;
    },
  });
  return (
    <>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input.Search
            allowClear
            placeholder={t('common.searchPlaceholder')}
            onSearch={() => searchFormProps.form?.submit()}
            style={{ width: 260 }}
          />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('units.fields.kind')}
            style={{ width: 160 }}
            onChange={() => searchFormProps.form?.submit()}
            options={['PROVINCE', 'DISTRICT', 'COMMUNE', 'AGENCY'].map((k) => ({ value: k, label: t(`enums.UnitKind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item>
          <ExportButton list="units" filter={toFilter(filters)} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 960 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column dataIndex="code" title={t('units.fields.code')} sorter defaultSortOrder={getDefaultSortOrder('code', sorters)} />
        <Table.Column
          dataIndex="name"
          title={t('units.fields.name')}
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(name: string, r: UnitRecord) => <Link to={`/units/show/${r.id}`}>{name}</Link>}
        />
        <Table.Column dataIndex="kind" title={t('units.fields.kind')} sorter render={(k: string) => <KindTag kind={k} />} />
        <Table.Column dataIndex={['parent', 'name']} title={t('units.fields.parent')} render={(v?: string) => v ?? '—'} />
        <Table.Column
          dataIndex="validFrom"
          title={t('units.fields.validFrom')}
          sorter
          render={(v: string | null) => <DateText value={v} />}
        />
        <Table.Column dataIndex="validTo" title={t('units.fields.validTo')} render={(v: string | null) => <DateText value={v} />} />
        <Table.Column<UnitRecord>
          title={t('table.actions')}
          render={(_, r) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={r.id} />
              <EditButton hideText size="small" recordItemId={r.id} />
            </Space>
          )}
        />
      </Table>
    </>
  );
}

interface UnitNode extends DataNode {
  key: string;
  children?: UnitNode[];
}

const replaceChildren = (nodes: UnitNode[], key: string, children: UnitNode[]): UnitNode[] =>
  nodes.map((n) =>
    n.key === key
      ? { ...n, children, isLeaf: children.length === 0 }
      : n.children
        ? { ...n, children: replaceChildren(n.children, key, children) }
        : n,
  );

/** The unit hierarchy, one level fetched per expansion (a province has hundreds of units). */
function UnitTree() {
  const dataProvider = useDataProvider()();
  const navigate = useNavigate();
  const [nodes, setNodes] = useState<UnitNode[]>([]);
  const [expanded, setExpanded] = useState<React.Key[]>([]);

  const childrenOf = useCallback(
    async (parentId: string | null): Promise<UnitNode[]> => {
      const { data } = await dataProvider.getList<UnitRecord>({
        resource: 'units',
        filters: [parentId ? { field: 'parentId', operator: 'eq', value: parentId } : { field: 'level', operator: 'eq', value: 0 }],
        sorters: [{ field: 'name', order: 'asc' }],
        pagination: { mode: 'off' },
      });
      return data.map((u) => ({
        key: u.id,
        title: (
          <span>
            <KindTag kind={u.kind} />
            {u.name}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} className="ntp-code">
              {u.code}
            </Typography.Text>
          </span>
        ),
        isLeaf: u.kind === 'AGENCY' || u.kind === 'COMMUNE',
      }));
    },
    [dataProvider],
  );

  useEffect(() => {
    void childrenOf(null).then(async (roots) => {
      // Open the first level so the page shows the districts straight away.
      if (roots.length === 1) {
        const children = await childrenOf(roots[0].key);
        setNodes(replaceChildren(roots, roots[0].key, children));
        setExpanded([roots[0].key]);
      } else setNodes(roots);
    });
  }, [childrenOf]);

  const loadData = async (node: EventDataNode<UnitNode>) => {
    if (node.children) return;
    const children = await childrenOf(String(node.key));
    setNodes((prev) => replaceChildren(prev, String(node.key), children));
  };

  return (
    <Tree<UnitNode>
      showLine
      blockNode
      treeData={nodes}
      loadData={loadData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys)}
      onSelect={(keys) => keys[0] && navigate(`/units/show/${keys[0]}`)}
      data-testid="unit-tree"
    />
  );
}

export default function UnitList() {
  const t = useTranslate();
  const [view, setView] = useState('tree');
  return (
    <List headerButtons={<CreateButton />}>
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyOnHidden
        items={[
          { key: 'tree', label: t('units.views.tree'), children: <UnitTree /> },
          { key: 'list', label: t('units.views.list'), children: <UnitTable /> },
        ]}
      />
    </List>
  );
}
