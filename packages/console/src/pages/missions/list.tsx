import { useMemo, useState } from 'react';
import { CreateButton, List, ShowButton, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Empty, Form, Input, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { useGql, useScopeUnit } from '../../components/api';
import { formatDate } from '../../components/format';
import { DateText } from '../../components/formatted';
import { EnumSelect, MISSION_STATUSES, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { MonitoringPlans } from './plans';
import { ExportButton } from '../../components/export-button';
import { toFilter } from '../../providers/data-provider';

interface UnitRef {
  id: string;
  code: string;
  name: string;
  kind: string;
}
export interface MissionRecord {
  id: string;
  version: number;
  title: string;
  decisionRef: string | null;
  startDate: string;
  endDate: string;
  status: string;
  reportDueDate: string | null;
  overlapJustification: string | null;
  cancelReason: string | null;
  program: { id: string; code: string; name: string };
  plan: { id: string; title: string } | null;
  leadUnit: UnitRef;
  targetUnits: UnitRef[];
  components: { id: string; code: string; name: string }[];
  members: { id: string; name: string; position: string | null; role: string; organization: UnitRef | null }[];
}

export const STATUS_COLOR: Record<string, string> = {
  PLANNED: 'blue',
  IN_PROGRESS: 'gold',
  COMPLETED: 'green',
  CANCELLED: 'default',
  OPEN: 'blue',
  RESOLVED: 'green',
  REJECTED: 'default',
  PENDING: 'blue',
  OVERDUE: 'red',
  SUBMITTED: 'gold',
  RETURNED: 'volcano',
  ACCEPTED: 'green',
  DRAFT: 'default',
};

export function StatusTag({ status, enumName }: { status: string; enumName: string }) {
  const t = useTranslate();
  return <Tag color={STATUS_COLOR[status] ?? 'default'}>{t(`enums.${enumName}.${status}`, status)}</Tag>;
}

function MissionTable() {
  const t = useTranslate();
  const { tableProps, searchFormProps, sorters, filters } = useTable<MissionRecord, any, { q?: string; status?: string; unitId?: string }>({
    resource: 'missions',
    sorters: { initial: [{ field: 'startDate', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: ({ q, status, unitId }) => [
      { field: 'title', operator: 'contains', value: q },
      { field: 'status', operator: 'eq', value: status },
      { field: 'underUnit', operator: 'eq', value: unitId },
    ],
  });
  const submit = () => searchFormProps.form?.submit();
  return (
    <>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('missions.fields.title')} onSearch={submit} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="status">
          <EnumSelect
            enumName="MissionStatus"
            values={MISSION_STATUSES}
            placeholder={t('missions.fields.status')}
            style={{ width: 170 }}
            onChange={submit}
          />
        </Form.Item>
        <Form.Item name="unitId">
          <UnitSelect placeholder={t('missions.fields.targetUnits')} style={{ width: 220 }} onChange={submit} />
        </Form.Item>
        <Form.Item>
          <ExportButton list="missions" filter={toFilter(filters)} />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1000 }}
        pagination={{ ...tableProps.pagination, showTotal: (count) => t('table.total', { count }) }}
      >
        <Table.Column<MissionRecord>
          dataIndex="title"
          title={t('missions.fields.title')}
          sorter
          render={(v, r) => <Link to={`/missions/show/${r.id}`}>{v}</Link>}
        />
        <Table.Column
          dataIndex="startDate"
          title={t('missions.fields.startDate')}
          sorter
          defaultSortOrder={getDefaultSortOrder('startDate', sorters)}
          render={(v) => <DateText value={v} />}
        />
        <Table.Column dataIndex="endDate" title={t('missions.fields.endDate')} sorter render={(v) => <DateText value={v} />} />
        <Table.Column dataIndex={['leadUnit', 'name']} title={t('missions.fields.leadUnit')} />
        <Table.Column<MissionRecord>
          title={t('missions.fields.targetUnits')}
          render={(_, r) => r.targetUnits.map((u) => u.name).join(', ')}
        />
        <Table.Column
          dataIndex="status"
          title={t('missions.fields.status')}
          sorter
          render={(v: string) => <StatusTag status={v} enumName="MissionStatus" />}
        />
        <Table.Column<MissionRecord>
          title={t('table.actions')}
          render={(_, r) => <ShowButton hideText size="small" resource="missions" recordItemId={r.id} />}
        />
      </Table>
    </>
  );
}

/** Missions visiting a unit (or the units below it), one row per visited unit, bars on a day scale. */
function MissionTimeline() {
  const t = useTranslate();
  const scope = useScopeUnit();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [year, setYear] = useState(dayjs().year());
  const range: [Dayjs, Dayjs] = [dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)];
  const scopeUnit = unitId ?? scope.id;
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const { data, isLoading } = useGql<{ plannedMissions: MissionRecord[] }>(
    'plannedMissions',
    `query($unitId: ID!, $from: Date!, $to: Date!) { plannedMissions(unitId: $unitId, from: $from, to: $to) {
      id title startDate endDate status leadUnit { id code name kind } targetUnits { id code name kind } } }`,
    { unitId: scopeUnit, from, to },
    !!scopeUnit,
  );
  const days = range[1].diff(range[0], 'day') + 1;
  const rows = useMemo(() => {
    const byUnit = new Map<string, { unit: UnitRef; missions: MissionRecord[] }>();
    for (const m of data?.plannedMissions ?? [])
      for (const u of m.targetUnits) {
        if (!byUnit.has(u.id)) byUnit.set(u.id, { unit: u, missions: [] });
        byUnit.get(u.id)!.missions.push(m);
      }
    return [...byUnit.values()].sort((a, b) => a.unit.name.localeCompare(b.unit.name, 'vi'));
  }, [data]);
  const months: { label: string; left: number; width: number }[] = [];
  for (let m = range[0].startOf('month'); m.isBefore(range[1]); m = m.add(1, 'month')) {
    const start = m.isBefore(range[0]) ? range[0] : m;
    const end = m.endOf('month').isAfter(range[1]) ? range[1] : m.endOf('month');
    months.push({
      label: m.format('MM/YY'),
      left: (start.diff(range[0], 'day') / days) * 100,
      width: ((end.diff(start, 'day') + 1) / days) * 100,
    });
  }
  const pos = (m: MissionRecord) => {
    const s = Math.max(0, dayjs(m.startDate).diff(range[0], 'day'));
    const e = Math.min(days - 1, dayjs(m.endDate).diff(range[0], 'day'));
    return { left: `${(s / days) * 100}%`, width: `${((e - s + 1) / days) * 100}%` };
  };
  return (
    <div data-testid="mission-timeline">
      <Space wrap style={{ marginBottom: 16 }}>
        <UnitSelect
          placeholder={t('missions.timeline.unit')}
          style={{ width: 260 }}
          value={unitId}
          onChange={(v) => setUnitId(v as string | undefined)}
        />
        <YearInput value={year} onChange={(v) => v && setYear(v)} style={{ width: 110 }} data-testid="timeline-year" />
      </Space>
      {!isLoading && !rows.length ? (
        <Empty description={t('missions.timeline.empty')} />
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <div style={{ minWidth: 760 }}>
            <div style={{ display: 'flex', borderBottom: '1px solid #f0f0f0' }}>
              <div style={{ width: 180, flex: 'none' }} />
              <div style={{ position: 'relative', flex: 1, height: 24 }}>
                {months.map((m) => (
                  <div
                    key={m.label}
                    style={{
                      position: 'absolute',
                      left: `${m.left}%`,
                      width: `${m.width}%`,
                      borderLeft: '1px solid #e5e5e5',
                      fontSize: 12,
                      paddingLeft: 4,
                      color: '#666',
                    }}
                  >
                    {m.label}
                  </div>
                ))}
              </div>
            </div>
            {rows.map(({ unit, missions }) => (
              <div key={unit.id} style={{ display: 'flex', alignItems: 'stretch', borderBottom: '1px solid #f5f5f5' }}>
                <div style={{ width: 180, flex: 'none', padding: '6px 8px 6px 0', fontSize: 13 }}>{unit.name}</div>
                <div style={{ position: 'relative', flex: 1, minHeight: 8 + missions.length * 26 }}>
                  {months.map((m) => (
                    <div
                      key={m.label}
                      style={{ position: 'absolute', left: `${m.left}%`, top: 0, bottom: 0, borderLeft: '1px solid #f0f0f0' }}
                    />
                  ))}
                  {missions.map((m, i) => {
                    const p = pos(m);
                    const color = m.status === 'CANCELLED' ? '#bfbfbf' : m.status === 'COMPLETED' ? '#52a36d' : '#1f6f43';
                    return (
                      <Tooltip key={m.id} title={`${m.title} · ${formatDate(m.startDate)} – ${formatDate(m.endDate)} · ${m.leadUnit.name}`}>
                        <Link to={`/missions/show/${m.id}`}>
                          <span
                            style={{
                              position: 'absolute',
                              top: 6 + i * 26,
                              height: 18,
                              left: p.left,
                              width: p.width,
                              minWidth: 6,
                              background: color,
                              borderRadius: 3,
                            }}
                          />
                          {/* The title follows the bar, so short missions stay readable. */}
                          <span
                            style={{
                              position: 'absolute',
                              top: 6 + i * 26,
                              lineHeight: '18px',
                              left: `calc(${p.left} + ${p.width} + 6px)`,
                              fontSize: 12,
                              whiteSpace: 'nowrap',
                            }}
                          >
                            {m.title} ({formatDate(m.startDate).slice(0, 5)}–{formatDate(m.endDate).slice(0, 5)})
                          </span>
                        </Link>
                      </Tooltip>
                    );
                  })}
                </div>
              </div>
            ))}
          </div>
        </div>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        {t('missions.timeline.hint')}
      </Typography.Paragraph>
    </div>
  );
}

export default function MissionList() {
  const t = useTranslate();
  const [view, setView] = useState('list');
  return (
    <List headerButtons={<CreateButton resource="missions" />}>
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyOnHidden
        items={[
          { key: 'list', label: t('missions.views.list'), children: <MissionTable /> },
          { key: 'timeline', label: t('missions.views.timeline'), children: <MissionTimeline /> },
          { key: 'plans', label: t('missions.views.plans'), children: <MonitoringPlans /> },
        ]}
      />
    </List>
  );
}
