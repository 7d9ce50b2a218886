import { defineList, IDFilter, SortDirection } from '../../graphql/list';
import { FindingKind, MissionStatus, RecommendationStatus } from './monitoring.enums';
import { Finding, Mission, MonitoringPlan, Recommendation } from './monitoring.entity';

/** Today on the Vietnam calendar, in SQL. */
export const TODAY_VN_SQL = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

/** `{ eq in notIn }` of an IDFilter as a condition on `col`, pushing parameters. */
function idFilterSql(col: string, f: { eq?: string; in?: string[]; notIn?: string[] }, params: unknown[]): string {
  const conds: string[] = [];
  if (f.eq != null) {
    params.push(f.eq);
    conds.push(`${col} = ?`);
  }
  if (f.in) {
    params.push(f.in);
    conds.push(`${col} = ANY(?)`);
  }
  if (f.notIn) {
    params.push(f.notIn);
    conds.push(`${col} <> ALL(?)`);
  }
  return conds.length ? conds.join(' AND ') : 'TRUE';
}

export const planList = defineList({
  name: 'MonitoringPlan',
  entity: MonitoringPlan,
  gqlType: () => MonitoringPlan,
  table: 'monitoring_plan',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    year: { kind: 'int', column: 't.year' },
    title: { kind: 'string', column: 't.title' },
    documentRef: { kind: 'string', column: 't.document_ref' },
  },
  sort: {
    YEAR: { column: 't.year' },
    TITLE: { column: 't.title', vietnamese: true },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'YEAR', direction: SortDirection.DESC }],
});

/** A mission is tied to its lead unit and every unit it visits. */
export const MISSION_UNITS_SQL =
  'SELECT t.lead_unit_id UNION ALL SELECT mtu.unit_id FROM mission_target_unit mtu WHERE mtu.mission_id = t.id';

export const missionList = defineList({
  name: 'Mission',
  entity: Mission,
  gqlType: () => Mission,
  table: 'mission',
  unitLink: { unitsSql: MISSION_UNITS_SQL },
  fields: {
    id: { kind: 'id', column: 't.id' },
    programId: { kind: 'id', column: 't.program_id' },
    planId: { kind: 'id', column: 't.plan_id' },
    leadUnitId: { kind: 'id', column: 't.lead_unit_id' },
    title: { kind: 'string', column: 't.title' },
    decisionRef: { kind: 'string', column: 't.decision_ref' },
    startDate: { kind: 'date', column: 't.start_date' },
    endDate: { kind: 'date', column: 't.end_date' },
    status: { kind: 'enum', column: 't.status', enumType: MissionStatus, enumName: 'MissionStatus' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  extraFilters: {
    targetUnitId: {
      type: () => IDFilter,
      description: 'missions visiting these units',
      apply: (f: { eq?: string; in?: string[]; notIn?: string[] }, params) =>
        `EXISTS (SELECT 1 FROM mission_target_unit fx WHERE fx.mission_id = t.id AND ${idFilterSql('fx.unit_id', f, params)})`,
    },
    componentId: {
      type: () => IDFilter,
      description: 'missions monitoring these components',
      apply: (f: { eq?: string; in?: string[]; notIn?: string[] }, params) =>
        `EXISTS (SELECT 1 FROM mission_component fx WHERE fx.mission_id = t.id AND ${idFilterSql('fx.component_id', f, params)})`,
    },
  },
  sort: {
    START_DATE: { column: 't.start_date' },
    END_DATE: { column: 't.end_date' },
    TITLE: { column: 't.title', vietnamese: true },
    STATUS: { column: 't.status' },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'START_DATE', direction: SortDirection.ASC }],
});

/** Missions joined to each unit they visit (`t.__visit_unit_id`), for Unit.missions; same filters and scope. */
export const missionVisitList = {
  ...missionList,
  opts: {
    ...missionList.opts,
    table: '(SELECT m.*, mtu.unit_id AS __visit_unit_id FROM mission m JOIN mission_target_unit mtu ON mtu.mission_id = m.id)',
  },
};

export const findingList = defineList({
  name: 'Finding',
  entity: Finding,
  gqlType: () => Finding,
  table: 'finding',
  // A finding is about a visited unit, and belongs to the mission's lead unit.
  unitLink: { unitsSql: 'SELECT t.unit_id UNION ALL SELECT fm.lead_unit_id FROM mission fm WHERE fm.id = t.mission_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    missionId: { kind: 'id', column: 't.mission_id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    componentId: { kind: 'id', column: 't.component_id' },
    kind: { kind: 'enum', column: 't.kind', enumType: FindingKind, enumName: 'FindingKind' },
    description: { kind: 'string', column: 't.description' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  sort: {
    CREATED_AT: { column: 't.created_at' },
    KIND: { column: 't.kind' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'CREATED_AT', direction: SortDirection.ASC }],
});

/** Unresolved past its due date (Vietnam calendar). */
export const OVERDUE_SQL = `COALESCE(t.status IN ('OPEN', 'IN_PROGRESS') AND t.due_date < ${TODAY_VN_SQL}, FALSE)`;

export const recommendationList = defineList({
  name: 'Recommendation',
  entity: Recommendation,
  gqlType: () => Recommendation,
  table: 'recommendation',
  // The addressee counts, and so does the lead unit of the mission that made it.
  unitLink: { unitsSql: 'SELECT t.addressee_id UNION ALL SELECT rm.lead_unit_id FROM mission rm WHERE rm.id = t.mission_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    missionId: { kind: 'id', column: 't.mission_id' },
    findingId: { kind: 'id', column: 't.finding_id' },
    addresseeId: { kind: 'id', column: 't.addressee_id' },
    content: { kind: 'string', column: 't.content' },
    dueDate: { kind: 'date', column: 't.due_date' },
    status: { kind: 'enum', column: 't.status', enumType: RecommendationStatus, enumName: 'RecommendationStatus' },
    resolvedAt: { kind: 'datetime', column: 't.resolved_at' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  extraFilters: {
    overdue: {
      type: () => Boolean,
      description: 'true: unresolved past the due date; false: the others',
      apply: (v: boolean) => (v ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`),
    },
  },
  sort: {
    DUE_DATE: { column: 't.due_date', nullable: true },
    STATUS: { column: 't.status' },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'DUE_DATE', direction: SortDirection.ASC }],
});
