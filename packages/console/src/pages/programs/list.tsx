import { CreateButton, EditButton, List, ShowButton, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Space, Table } from 'antd';
import { Link } from 'react-router';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

export interface ProgramRecord {
  id: string;
  version: number;
  code: string;
  name: string;
  startYear: number;
  endYear: number;
  decisionRef: string | null;
}

export default function ProgramList() {
  const t = useTranslate();
  const { tableProps, sorters, filters } = useTable<ProgramRecord>({ sorters: { initial: [{ field: 'startYear', order: 'desc' }] } });
  return (
    <List
      headerButtons={
        <Space wrap>
          <ExportButton list="programs" filter={toFilter(filters)} />
          <CreateButton />
        </Space>
      }
    >
      <Table {...tableProps} rowKey="id" scroll={{ x: 900 }}>
        <Table.Column dataIndex="code" title={t('programs.fields.code')} sorter defaultSortOrder={getDefaultSortOrder('code', sorters)} />
        <Table.Column
          dataIndex="name"
          title={t('programs.fields.name')}
          sorter
          render={(name: string, r: ProgramRecord) => (
            <Link to={`/programs/show/${r.id}`} style={{ whiteSpace: 'normal' }}>
              {name}
            </Link>
          )}
          onCell={() => ({ style: { minWidth: 280, maxWidth: 560 } })}
        />
        <Table.Column
          dataIndex="startYear"
          title={t('programs.fields.period')}
          sorter
          defaultSortOrder={getDefaultSortOrder('startYear', sorters)}
          render={(_, r: ProgramRecord) => `${r.startYear}–${r.endYear}`}
        />
        <Table.Column dataIndex="decisionRef" title={t('programs.fields.decisionRef')} render={(v?: string) => v ?? '—'} />
        <Table.Column<ProgramRecord>
          title={t('table.actions')}
          render={(_, r) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={r.id} />
              <EditButton hideText size="small" recordItemId={r.id} />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
