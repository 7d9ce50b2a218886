import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, conflict } from '../../common/errors';
import { checkDateOrder, checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { findInScope } from '../../graphql/list';
import { sql, sqlOne } from '../../db/sql';
import { requireUnitsWritable } from '../../auth/scope';
import { Unit, UnitKind } from '../units/unit.entity';
import { ComponentKind, DeadlineKind } from './program.enums';
import { DeadlineRule, LeadAgency, Program, ProgramComponent, ReportingUnit } from './program.entity';
import { componentList, programList } from './program.list';
import type {
  CreateDeadlineRuleInput,
  CreateProgramComponentInput,
  CreateProgramInput,
  UpdateDeadlineRuleInput,
  UpdateProgramComponentInput,
  UpdateProgramInput,
} from './program.inputs';

const idOk = (id: string | null | undefined): id is string => !!id && /^\d{1,18}$/.test(id);

async function mustExist<T extends object>(ctx: Ctx, entity: new () => T, id: string | null | undefined, field: string): Promise<T> {
  const found = idOk(id) ? await ctx.em.findOne(entity, { id } as never) : null;
  if (!found) throw badInput([{ field, vi: 'Bản ghi được tham chiếu không tồn tại', en: 'Referenced record does not exist' }]);
  return found as T;
}

function checkYears(v: Validation, start: number, end: number) {
  v.check(start >= 2000 && start <= 2100, 'startYear', 'Năm không hợp lệ', 'Invalid year');
  v.check(end >= 2000 && end <= 2100, 'endYear', 'Năm không hợp lệ', 'Invalid year');
  v.check(start <= end, 'endYear', 'Năm kết thúc phải ≥ năm bắt đầu', 'The end year must not be before the start year');
}

export const getProgram = (ctx: Ctx, id: string) => findInScope(ctx, programList, id);
export const getComponent = (ctx: Ctx, id: string) => findInScope(ctx, componentList, id);

export async function createProgram(ctx: Ctx, input: CreateProgramInput): Promise<Program> {
  const v = new Validation();
  checkText(v, 'code', input.code, 64);
  checkText(v, 'name', input.name, 500);
  checkYears(v, input.startYear, input.endYear);
  v.throwIfAny();
  if (await sqlOne(ctx.em, 'SELECT 1 FROM program WHERE code = ?', [clean(input.code)])) {
    throw conflict({ vi: 'Mã chương trình đã tồn tại', en: 'Program code already exists' });
  }
  const p = ctx.em.create(Program, {
    code: clean(input.code),
    name: clean(input.name),
    startYear: input.startYear,
    endYear: input.endYear,
    decisionRef: input.decisionRef ? clean(input.decisionRef) : null,
  });
  stamp(ctx, p, true);
  ctx.audit = { entityType: 'Program' };
  return p;
}

export async function updateProgram(ctx: Ctx, id: string, version: number, input: UpdateProgramInput): Promise<Program> {
  const p = requireFound(await getProgram(ctx, id));
  ctx.audit = { entityType: 'Program', entityId: p.id, before: snapshot(p) };
  checkVersion(p, version);
  const v = new Validation();
  if (input.code !== undefined) checkText(v, 'code', input.code, 64);
  if (input.name !== undefined) checkText(v, 'name', input.name, 500);
  checkYears(v, input.startYear ?? p.startYear, input.endYear ?? p.endYear);
  v.throwIfAny();
  if (input.code !== undefined) p.code = clean(input.code);
  if (input.name !== undefined) p.name = clean(input.name);
  if (input.startYear != null) p.startYear = input.startYear;
  if (input.endYear != null) p.endYear = input.endYear;
  if (input.decisionRef !== undefined) p.decisionRef = input.decisionRef ? clean(input.decisionRef) : null;
  stamp(ctx, p);
  return p;
}

export async function archiveProgram(ctx: Ctx, id: string, version: number): Promise<Program> {
  const p = requireFound(await getProgram(ctx, id));
  ctx.audit = { entityType: 'Program', entityId: p.id, before: snapshot(p) };
  checkVersion(p, version);
  p.archivedAt = new Date();
  stamp(ctx, p);
  return p;
}

export async function createComponent(ctx: Ctx, input: CreateProgramComponentInput): Promise<ProgramComponent> {
  const v = new Validation();
  checkText(v, 'code', input.code, 64);
  checkText(v, 'name', input.name, 500);
  const program = await mustExist(ctx, Program, input.programId, 'programId');
  const parent = input.parentId ? await mustExist(ctx, ProgramComponent, input.parentId, 'parentId') : null;
  if (parent && parent.program.id !== program.id)
    v.add('parentId', 'Dự án cha thuộc chương trình khác', 'The parent belongs to another program');
  if (input.kind === ComponentKind.SUB_PROJECT && !parent)
    v.add('parentId', 'Tiểu dự án phải thuộc một dự án', 'A sub-project needs a parent project');
  if (input.kind === ComponentKind.PROJECT && parent) v.add('parentId', 'Dự án không có dự án cha', 'A project has no parent');
  if (parent && parent.kind !== ComponentKind.PROJECT) v.add('parentId', 'Cấp trên phải là một dự án', 'The parent must be a project');
  v.throwIfAny();
  if (await sqlOne(ctx.em, 'SELECT 1 FROM program_component WHERE program_id = ? AND code = ?', [program.id, clean(input.code)])) {
    throw conflict({ vi: 'Mã dự án đã tồn tại trong chương trình', en: 'Component code already exists in the program' });
  }
  const c = ctx.em.create(ProgramComponent, {
    program: ref(program),
    parent: parent ? ref(parent) : null,
    code: clean(input.code),
    name: clean(input.name),
    kind: input.kind,
  });
  stamp(ctx, c, true);
  ctx.audit = { entityType: 'ProgramComponent' };
  return c;
}

export async function updateComponent(ctx: Ctx, id: string, version: number, input: UpdateProgramComponentInput) {
  const c = requireFound(await getComponent(ctx, id));
  ctx.audit = { entityType: 'ProgramComponent', entityId: c.id, before: snapshot(c) };
  checkVersion(c, version);
  const v = new Validation();
  if (input.code !== undefined) checkText(v, 'code', input.code, 64);
  if (input.name !== undefined) checkText(v, 'name', input.name, 500);
  v.throwIfAny();
  if (input.code !== undefined) c.code = clean(input.code);
  if (input.name !== undefined) c.name = clean(input.name);
  stamp(ctx, c);
  return c;
}

export async function archiveComponent(ctx: Ctx, id: string, version: number) {
  const c = requireFound(await getComponent(ctx, id));
  ctx.audit = { entityType: 'ProgramComponent', entityId: c.id, before: snapshot(c) };
  checkVersion(c, version);
  c.archivedAt = new Date();
  stamp(ctx, c);
  return c;
}

/** ADMIN anywhere; a COORDINATOR for districts in its scope. */
export async function assignLeadAgency(ctx: Ctx, componentId: string, unitId: string, agencyId: string): Promise<ProgramComponent> {
  const component = requireFound(await getComponent(ctx, componentId));
  const unit = await mustExist(ctx, Unit, unitId, 'unitId');
  const agency = await mustExist(ctx, Unit, agencyId, 'agencyId');
  await requireUnitsWritable(ctx, [unit.id]);
  const v = new Validation();
  v.check(agency.kind === UnitKind.AGENCY, 'agencyId', 'Phải là một cơ quan', 'Must be an agency');
  v.check(
    agency.path.startsWith(unit.path) && agency.id !== unit.id,
    'agencyId',
    'Cơ quan phải thuộc đơn vị này',
    'The agency must belong to this unit',
  );
  v.throwIfAny();
  const existing = await ctx.em.findOne(LeadAgency, { component: component.id, unit: unit.id });
  ctx.audit = {
    entityType: 'LeadAgency',
    entityId: existing?.id ?? null,
    unitId: unit.id,
    before: snapshot(existing),
    after: { componentId, unitId, agencyId },
  };
  if (existing) {
    existing.agency = ref(agency);
    existing.archivedAt = null;
    stamp(ctx, existing);
  } else {
    stamp(ctx, ctx.em.create(LeadAgency, { component: ref(component), unit: ref(unit), agency: ref(agency) }), true);
  }
  return component;
}

export async function reportingUnits(ctx: Ctx, programId: string, validOn?: string | null): Promise<Unit[]> {
  if (!idOk(programId)) return [];
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT u.* FROM unit u WHERE EXISTS (
       SELECT 1 FROM reporting_unit ru WHERE ru.unit_id = u.id AND ru.program_id = ? AND ru.archived_at IS NULL
         AND (?::date IS NULL OR ((ru.valid_from IS NULL OR ru.valid_from <= ?::date) AND (ru.valid_to IS NULL OR ru.valid_to >= ?::date))))
     ORDER BY u.name COLLATE "vi-VN-x-icu", u.id`,
    [programId, validOn ?? null, validOn ?? null, validOn ?? null],
  );
  return rows.map((r) => ctx.em.map(Unit, r));
}

export async function addReportingUnit(ctx: Ctx, programId: string, unitId: string, validFrom?: string | null, validTo?: string | null) {
  const program = requireFound(await getProgram(ctx, programId));
  const unit = await mustExist(ctx, Unit, unitId, 'unitId');
  await requireUnitsWritable(ctx, [unit.id]);
  const v = new Validation();
  checkDateOrder(v, validFrom, validTo);
  v.throwIfAny();
  const overlapping = await sqlOne(
    ctx.em,
    `SELECT id FROM reporting_unit WHERE program_id = ? AND unit_id = ? AND archived_at IS NULL
       AND (valid_from IS NULL OR ?::date IS NULL OR valid_from <= ?::date)
       AND (valid_to IS NULL OR ?::date IS NULL OR valid_to >= ?::date)`,
    [program.id, unit.id, validTo ?? null, validTo ?? null, validFrom ?? null, validFrom ?? null],
  );
  if (overlapping) throw conflict({ vi: 'Đơn vị đã là đơn vị báo cáo trong thời gian này', en: 'The unit already reports in this period' });
  const ru = ctx.em.create(ReportingUnit, {
    program: ref(program),
    unit: ref(unit),
    validFrom: validFrom ?? null,
    validTo: validTo ?? null,
  });
  stamp(ctx, ru, true);
  ctx.audit = { entityType: 'ReportingUnit', unitId: unit.id, after: { programId, unitId, validFrom, validTo } };
  return unit;
}

/** Ends a unit's reporting on `validTo` (history stays). */
export async function removeReportingUnit(ctx: Ctx, programId: string, unitId: string, validTo: string) {
  requireFound(await getProgram(ctx, programId));
  const unit = await mustExist(ctx, Unit, unitId, 'unitId');
  await requireUnitsWritable(ctx, [unit.id]);
  const open = await ctx.em.find(ReportingUnit, {
    program: programId,
    unit: unit.id,
    archivedAt: null,
    $or: [{ validTo: null }, { validTo: { $gt: validTo } }],
  });
  if (!open.length) throw badInput([{ field: 'unitId', vi: 'Đơn vị không phải đơn vị báo cáo', en: 'The unit is not a reporting unit' }]);
  ctx.audit = { entityType: 'ReportingUnit', entityId: open[0].id, unitId: unit.id, before: open.map((o) => snapshot(o)) };
  for (const ru of open) {
    if (ru.validFrom && ru.validFrom > validTo) ru.archivedAt = new Date();
    else ru.validTo = validTo;
    stamp(ctx, ru);
  }
  ctx.audit.after = open.map((o) => snapshot(o));
  return unit;
}

function validateRule(
  v: Validation,
  r: { kind: DeadlineKind; date?: string | null; month?: number | null; day?: number | null; workingDays?: number | null },
) {
  switch (r.kind) {
    case DeadlineKind.FIXED_DATE:
      v.check(!!r.date, 'date', 'Cần ngày cố định', 'A fixed date is required');
      break;
    case DeadlineKind.YEARLY: {
      const ok =
        !!r.month && r.month >= 1 && r.month <= 12 && !!r.day && r.day >= 1 && r.day <= new Date(Date.UTC(2001, r.month, 0)).getUTCDate();
      v.check(ok, 'day', 'Cần tháng và ngày hợp lệ', 'A valid month and day are required');
      break;
    }
    case DeadlineKind.WORKING_DAYS_AFTER_EVENT:
      v.check(
        !!r.workingDays && r.workingDays > 0 && r.workingDays <= 366,
        'workingDays',
        'Cần số ngày làm việc > 0',
        'A positive number of working days is required',
      );
      break;
    default:
      break;
  }
}

export async function deadlineRules(ctx: Ctx, programId: string): Promise<DeadlineRule[]> {
  if (!idOk(programId)) return [];
  return ctx.em.find(DeadlineRule, { program: programId, archivedAt: null }, { orderBy: { reportType: 'asc', id: 'asc' } });
}

export async function createDeadlineRule(ctx: Ctx, input: CreateDeadlineRuleInput): Promise<DeadlineRule> {
  const program = await mustExist(ctx, Program, input.programId, 'programId');
  const v = new Validation();
  validateRule(v, input);
  v.throwIfAny();
  const rule = ctx.em.create(DeadlineRule, {
    program: ref(program),
    reportType: input.reportType,
    level: input.level ?? null,
    kind: input.kind,
    date: input.date ?? null,
    month: input.month ?? null,
    day: input.day ?? null,
    workingDays: input.workingDays ?? null,
    before: input.before ?? false,
  });
  stamp(ctx, rule, true);
  ctx.audit = { entityType: 'DeadlineRule' };
  return rule;
}

export async function updateDeadlineRule(ctx: Ctx, id: string, version: number, input: UpdateDeadlineRuleInput) {
  const rule = requireFound(idOk(id) ? await ctx.em.findOne(DeadlineRule, { id }) : null);
  ctx.audit = { entityType: 'DeadlineRule', entityId: rule.id, before: snapshot(rule) };
  checkVersion(rule, version);
  for (const key of ['reportType', 'level', 'kind', 'date', 'month', 'day', 'workingDays', 'before'] as const) {
    if (input[key] !== undefined) (rule as unknown as Record<string, unknown>)[key] = input[key];
  }
  const v = new Validation();
  validateRule(v, rule);
  v.throwIfAny();
  stamp(ctx, rule);
  return rule;
}

export async function archiveDeadlineRule(ctx: Ctx, id: string, version: number) {
  const rule = requireFound(idOk(id) ? await ctx.em.findOne(DeadlineRule, { id }) : null);
  ctx.audit = { entityType: 'DeadlineRule', entityId: rule.id, before: snapshot(rule) };
  checkVersion(rule, version);
  rule.archivedAt = new Date();
  stamp(ctx, rule);
  return rule;
}
