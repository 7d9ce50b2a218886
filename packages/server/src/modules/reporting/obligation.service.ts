import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, forbidden, ruleViolation } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql, sqlOne } from '../../db/sql';
import { findInScope } from '../../graphql/list';
import { requireUnitsWritable } from '../../auth/scope';
import { Role, isAdmin } from '../../auth/roles';
import { Unit } from '../units/unit.entity';
import { Program, ProgramComponent } from '../programs/program.entity';
import { DeadlineKind, ReportType } from '../programs/program.enums';
import { workingDaysAfter, calendarWarning } from '../calendar/calendar.service';
import { addWarning } from '../calendar/calendar.warnings';
import { ReportingObligation } from './reporting.entity';
import { obligationList } from './reporting.list';
import { programList } from '../programs/program.list';
import { ReportStatus } from './reporting.enums';
import type { CreateObligationInput } from './reporting.inputs';

const idOk = (id: string | null | undefined): id is string => !!id && /^\d{1,18}$/.test(id);

/** Vietnamese names of the report types (DOMAIN.md §4), used in default titles. */
export const REPORT_TYPE_LABEL: Record<ReportType, string> = {
  [ReportType.MONITORING_MISSION]: 'Báo cáo sau đợt giám sát',
  [ReportType.MONITORING_SEMIANNUAL]: 'Báo cáo giám sát 6 tháng',
  [ReportType.MONITORING_ANNUAL]: 'Báo cáo giám sát hằng năm',
  [ReportType.MONITORING_ADHOC]: 'Báo cáo giám sát đột xuất',
  [ReportType.EVALUATION_BASELINE]: 'Báo cáo đánh giá đầu kỳ',
  [ReportType.EVALUATION_MIDTERM]: 'Báo cáo đánh giá giữa kỳ',
  [ReportType.EVALUATION_ANNUAL]: 'Báo cáo đánh giá hằng năm',
  [ReportType.EVALUATION_FINAL]: 'Báo cáo đánh giá kết thúc giai đoạn',
  [ReportType.EVALUATION_ADHOC]: 'Báo cáo đánh giá đột xuất',
};

const defaultTitle = (type: ReportType, year: number, unitName: string) => `${REPORT_TYPE_LABEL[type]} năm ${year} – ${unitName}`;

export const getObligation = (ctx: Ctx, id: string) => findInScope(ctx, obligationList, id);

async function mustExist<T extends object>(ctx: Ctx, entity: new () => T, id: string | null | undefined, field: string): Promise<T> {
  const found = idOk(id) ? await ctx.em.findOne(entity, { id } as never) : null;
  if (!found) throw badInput([{ field, vi: 'Bản ghi được tham chiếu không tồn tại', en: 'Referenced record does not exist' }]);
  return found as T;
}

/**
 * Default recipients of the given obligations (API.md): the submitter's district (nearest DISTRICT
 * ancestor, or the district itself) standing agency and finance-planning office, and the lead agencies
 * assigned in that district (for an obligation tied to a component, its lead agency only), never the
 * submitter itself. A unit with no district above it (the communes of the 2025 reform, which sit directly
 * under their province) reports the same way to the nearest unit above it that names a standing agency
 * or finance-planning office (`setDistrictAgency` on the province); with none, it gets no default recipients.
 */
export async function insertDefaultRecipients(em: EntityManager, obligationIds: string[]): Promise<void> {
  if (!obligationIds.length) return;
  await sql(
    em,
    `INSERT INTO reporting_obligation_recipient (obligation_id, unit_id)
     SELECT DISTINCT o.id, a.agency_id
     FROM reporting_obligation o
     JOIN unit s ON s.id = o.submitter_id
     JOIN LATERAL (
       SELECT d.id FROM unit d
       WHERE s.path LIKE d.path || '%'
         AND (d.kind = 'DISTRICT'
              OR (d.id <> s.id AND EXISTS (SELECT 1 FROM district_agency x WHERE x.unit_id = d.id AND x.archived_at IS NULL)))
       ORDER BY d.kind = 'DISTRICT' DESC, d.level DESC LIMIT 1
     ) dist ON TRUE
     JOIN LATERAL (
       SELECT da.agency_id FROM district_agency da WHERE da.unit_id = dist.id AND da.archived_at IS NULL
       UNION
       SELECT la.agency_id FROM lead_agency la
       WHERE la.unit_id = dist.id AND la.archived_at IS NULL AND (o.component_id IS NULL OR la.component_id = o.component_id)
     ) a(agency_id) ON TRUE
     WHERE o.id = ANY(?) AND a.agency_id <> o.submitter_id
     ON CONFLICT DO NOTHING`,
    [obligationIds],
  );
}

async function loadObligations(ctx: Ctx, ids: string[]): Promise<ReportingObligation[]> {
  if (!ids.length) return [];
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT o.* FROM reporting_obligation o JOIN unit u ON u.id = o.submitter_id WHERE o.id = ANY(?)
     ORDER BY o.due_date, o.type, u.name COLLATE "vi-VN-x-icu", o.id`,
    [ids],
  );
  return rows.map((r) => ctx.em.map(ReportingObligation, r));
}

/**
 * One obligation per reporting unit valid on the due date and per report type whose yearly or
 * fixed-date rule falls in `year` (the submitter level's rule wins over a rule for any level), in the
 * caller's scope and under `underUnit`. Already generated ones are skipped, so a second call returns [].
 */
export async function generateObligations(
  ctx: Ctx,
  programId: string,
  year: number,
  underUnit?: string | null,
): Promise<ReportingObligation[]> {
  const program = requireFound(await findInScope(ctx, programList, programId));
  const v = new Validation();
  v.check(
    Number.isInteger(year) && year >= program.startYear && year <= program.endYear,
    'year',
    `Năm phải trong giai đoạn ${program.startYear}–${program.endYear}`,
    `The year must be within ${program.startYear}–${program.endYear}`,
  );
  if (underUnit != null) v.check(idOk(underUnit), 'underUnit', 'Đơn vị không hợp lệ', 'Invalid unit');
  v.throwIfAny();
  const caller = ctx.caller!;
  ctx.audit = { entityType: 'ReportingObligation', unitId: underUnit ?? caller.scopeRootId, details: { programId, year, underUnit } };
  // Narrowed to the caller's scope and to underUnit (API.md: a filter beyond the scope is narrowed, not refused).
  const scopePath = isAdmin(caller) ? '/' : (caller.scopePath ?? '-');
  const created = await sql<{ id: string }>(
    ctx.em,
    `WITH p AS (SELECT ?::bigint AS program_id, ?::int AS year, ?::text AS scope_path, ?::bigint AS under_id, ?::jsonb AS labels, ?::bigint AS actor),
     chosen AS (
       SELECT DISTINCT ON (u.id, r.report_type) u.id AS unit_id, r.id AS rule_id, r.report_type, r.kind, r.date, r.month, r.day, r.before
       FROM p CROSS JOIN unit u JOIN deadline_rule r ON r.program_id = p.program_id AND r.archived_at IS NULL AND (r.level IS NULL OR r.level = u.kind)
       WHERE u.archived_at IS NULL
         AND u.id IN (SELECT ru.unit_id FROM reporting_unit ru WHERE ru.program_id = p.program_id AND ru.archived_at IS NULL)
         AND u.path LIKE p.scope_path || '%'
         AND (p.under_id IS NULL OR u.path LIKE (SELECT uu.path FROM unit uu WHERE uu.id = p.under_id) || '%')
       ORDER BY u.id, r.report_type, (r.level IS NULL), r.id
     ), dated AS (
       SELECT c.*, x.d, x.d - CASE WHEN c.before THEN 1 ELSE 0 END AS due_date
       FROM chosen c CROSS JOIN p
       CROSS JOIN LATERAL (SELECT CASE c.kind WHEN 'YEARLY' THEN make_date(p.year, c.month, c.day) ELSE c.date END AS d) x
       WHERE c.kind IN ('YEARLY', 'FIXED_DATE') AND extract(year FROM x.d) = p.year
     )
     INSERT INTO reporting_obligation (type, program_id, submitter_id, year, due_date, rule_id, title, created_by, updated_by)
     SELECT dated.report_type, p.program_id, dated.unit_id, p.year, dated.due_date, dated.rule_id,
            (p.labels ->> dated.report_type::text) || ' năm ' || p.year || ' – ' || u.name, p.actor, p.actor
     FROM dated CROSS JOIN p JOIN unit u ON u.id = dated.unit_id
     WHERE (u.valid_from IS NULL OR u.valid_from <= dated.due_date) AND (u.valid_to IS NULL OR u.valid_to >= dated.due_date)
       AND EXISTS (SELECT 1 FROM reporting_unit ru WHERE ru.program_id = p.program_id AND ru.unit_id = dated.unit_id AND ru.archived_at IS NULL
         AND (ru.valid_from IS NULL OR ru.valid_from <= dated.due_date) AND (ru.valid_to IS NULL OR ru.valid_to >= dated.due_date))
     ORDER BY dated.due_date, dated.report_type, dated.unit_id
     ON CONFLICT (rule_id, submitter_id, year) WHERE rule_id IS NOT NULL DO NOTHING
     RETURNING id::text`,
    [program.id, year, scopePath, underUnit ?? null, JSON.stringify(REPORT_TYPE_LABEL), caller.userId ?? null],
  );
  const ids = created.map((c) => c.id);
  await insertDefaultRecipients(ctx.em, ids);
  ctx.audit.after = { created: ids.length, ids };
  return loadObligations(ctx, ids);
}

/** Whether the caller's agency leads the component in a district of its scope. */
async function leadsComponent(ctx: Ctx, componentId: string | null | undefined): Promise<boolean> {
  if (!componentId || !ctx.caller) return false;
  const row = await sqlOne(ctx.em, 'SELECT 1 FROM lead_agency WHERE component_id = ? AND agency_id = ? AND archived_at IS NULL', [
    componentId,
    ctx.caller.homeUnitId,
  ]);
  return !!row;
}

/** An ad hoc obligation with an explicit due date: by a COORDINATOR, or an AGENCY_OFFICER for a component its agency leads. */
export async function createObligation(ctx: Ctx, input: CreateObligationInput): Promise<ReportingObligation> {
  const v = new Validation();
  checkText(v, 'title', input.title, 500, false);
  const program = await mustExist(ctx, Program, input.programId, 'programId');
  const submitter = await mustExist(ctx, Unit, input.submitterId, 'submitterId');
  const component = input.componentId ? await mustExist(ctx, ProgramComponent, input.componentId, 'componentId') : null;
  if (component && component.program.id !== program.id)
    v.add('componentId', 'Dự án thuộc chương trình khác', 'The component belongs to another program');
  const recipientIds = [...new Set(input.recipientIds ?? [])];
  for (const id of recipientIds) {
    if (id === submitter.id) v.add('recipientIds', 'Đơn vị báo cáo không thể là nơi nhận', 'The submitter cannot be a recipient');
    else await mustExist(ctx, Unit, id, 'recipientIds');
  }
  v.throwIfAny();
  await requireUnitsWritable(ctx, [submitter.id, ...recipientIds]);
  if (ctx.caller?.role === Role.AGENCY_OFFICER && !(await leadsComponent(ctx, component?.id))) {
    throw forbidden({
      vi: 'Cơ quan chỉ được giao báo cáo đột xuất cho dự án mình chủ trì',
      en: 'An agency may only request ad hoc reports for components it leads',
    });
  }
  const year = +input.dueDate.slice(0, 4);
  const o = ctx.em.create(ReportingObligation, {
    type: input.type,
    program: ref(program),
    component: component ? ref(component) : null,
    submitter: ref(submitter),
    year,
    dueDate: input.dueDate,
    title: input.title?.trim() ? clean(input.title) : defaultTitle(input.type, year, submitter.name),
  });
  stamp(ctx, o, true);
  await ctx.em.flush();
  if (recipientIds.length) {
    await sql(ctx.em, 'INSERT INTO reporting_obligation_recipient (obligation_id, unit_id) SELECT ?, unnest(?::bigint[])', [
      o.id,
      recipientIds,
    ]);
  } else {
    await insertDefaultRecipients(ctx.em, [o.id]);
  }
  ctx.audit = { entityType: 'ReportingObligation', entityId: o.id, unitId: submitter.id, details: { recipientIds } };
  return o;
}

/**
 * The obligation that follows an event (a monitoring mission ending): due N working days after the
 * event, N from the program's WORKING_DAYS_AFTER_EVENT rule for the type (the submitter level's rule
 * wins over a rule for any level); default recipients. Runs inside the caller's mutation (its audit).
 */
export async function createEventObligation(
  ctx: Ctx,
  input: {
    programId: string;
    type: ReportType;
    submitterId: string;
    eventDate: string;
    missionId?: string;
    componentId?: string | null;
    title: string;
  },
): Promise<ReportingObligation> {
  const program = await mustExist(ctx, Program, input.programId, 'programId');
  const submitter = await mustExist(ctx, Unit, input.submitterId, 'submitterId');
  const rule = await sqlOne<{ kind: DeadlineKind; working_days: number | null }>(
    ctx.em,
    `SELECT kind, working_days FROM deadline_rule WHERE program_id = ? AND report_type = ? AND archived_at IS NULL AND (level IS NULL OR level = ?)
     ORDER BY (level IS NULL), id LIMIT 1`,
    [program.id, input.type, submitter.kind],
  );
  if (!rule || rule.kind !== DeadlineKind.WORKING_DAYS_AFTER_EVENT || !rule.working_days) {
    throw ruleViolation('NO_DEADLINE_RULE', {
      vi: 'Chương trình chưa có quy định thời hạn (số ngày làm việc sau sự kiện) cho loại báo cáo này',
      en: 'The program has no working-days-after-event deadline rule for this report type',
    });
  }
  const due = await workingDaysAfter(ctx.em, input.eventDate, rule.working_days);
  if (due.warning) addWarning(ctx, calendarWarning(+due.date.slice(0, 4)));
  const o = ctx.em.create(ReportingObligation, {
    type: input.type,
    program: ref(program),
    component: input.componentId ? ref(ProgramComponent, input.componentId) : null,
    submitter: ref(submitter),
    year: +due.date.slice(0, 4),
    dueDate: due.date,
    missionId: input.missionId ?? null,
    title: clean(input.title) || defaultTitle(input.type, +due.date.slice(0, 4), submitter.name),
  });
  stamp(ctx, o, true);
  await ctx.em.flush();
  await insertDefaultRecipients(ctx.em, [o.id]);
  return o;
}

/** Cancelling needs a reason; an accepted report's obligation stays. */
export async function cancelObligation(ctx: Ctx, id: string, version: number, reason: string): Promise<ReportingObligation> {
  const o = requireFound(await getObligation(ctx, id));
  ctx.audit = { entityType: 'ReportingObligation', entityId: o.id, unitId: o.submitter.id, before: snapshot(o) };
  await requireUnitsWritable(ctx, [o.submitter.id], true);
  if (ctx.caller?.role === Role.AGENCY_OFFICER && (o.rule || !(await leadsComponent(ctx, o.component?.id)))) {
    throw forbidden({
      vi: 'Cơ quan chỉ được hủy báo cáo đột xuất của dự án mình chủ trì',
      en: 'An agency may only cancel ad hoc obligations of components it leads',
    });
  }
  checkVersion(o, version);
  const v = new Validation();
  checkText(v, 'reason', reason, 2000);
  v.throwIfAny();
  if (o.cancelledAt) {
    throw ruleViolation('INVALID_TRANSITION', { vi: 'Nghĩa vụ báo cáo đã bị hủy', en: 'The obligation is already cancelled' });
  }
  const report = await sqlOne<{ status: ReportStatus }>(ctx.em, 'SELECT status FROM report WHERE obligation_id = ?', [o.id]);
  if (report?.status === ReportStatus.ACCEPTED) {
    throw ruleViolation('REPORT_LOCKED', {
      vi: 'Báo cáo đã được chấp nhận, không thể hủy',
      en: 'The report was accepted; the obligation cannot be cancelled',
    });
  }
  o.cancelledAt = new Date();
  o.cancelReason = clean(reason);
  stamp(ctx, o);
  ctx.audit.details = { reason: o.cancelReason };
  return o;
}

/** Whether the unit's EVALUATION_ANNUAL report for the year has been accepted (indicator values lock then). */
export async function isAnnualEvaluationAccepted(em: EntityManager, unitId: string, year: number): Promise<boolean> {
  const row = await sqlOne(
    em,
    `SELECT 1 FROM reporting_obligation o JOIN report r ON r.obligation_id = o.id
     WHERE o.submitter_id = ? AND o.year = ? AND o.type = 'EVALUATION_ANNUAL' AND o.cancelled_at IS NULL AND o.archived_at IS NULL
       AND r.status = 'ACCEPTED' LIMIT 1`,
    [unitId, year],
  );
  return !!row;
}

/** What the caller's units still owe (no standing submission), soonest first; status marks the overdue ones. */
export async function myDeadlines(ctx: Ctx, limit?: number | null): Promise<ReportingObligation[]> {
  const n = limit ?? 20;
  if (!Number.isInteger(n) || n < 0 || n > 500)
    throw badInput([{ field: 'limit', vi: 'Giới hạn phải từ 0 đến 500', en: 'limit must be between 0 and 500' }]);
  const caller = ctx.caller!;
  // The caller's units: the home unit, and for a COORDINATOR the administrative unit it reports for.
  const units = [caller.homeUnitId];
  if (caller.role === Role.COORDINATOR && caller.scopeRootId) units.push(caller.scopeRootId);
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT o.* FROM reporting_obligation o LEFT JOIN report r ON r.obligation_id = o.id
     WHERE o.submitter_id = ANY(?) AND o.cancelled_at IS NULL AND o.archived_at IS NULL
       AND (r.id IS NULL OR r.status IN ('DRAFT', 'RETURNED'))
     ORDER BY o.due_date, o.id LIMIT ?`,
    [units, n],
  );
  return rows.map((r) => ctx.em.map(ReportingObligation, r));
}
