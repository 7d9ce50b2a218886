import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, forbidden, ruleViolation, type Msg } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql, sqlOne } from '../../db/sql';
import { findInScope, listPage } from '../../graphql/list';
import { requireUnitsWritable, unitsInScope } from '../../auth/scope';
import { Role, isAdmin } from '../../auth/roles';
import { Unit } from '../units/unit.entity';
import { Program, ProgramComponent } from '../programs/program.entity';
import { ReportType } from '../programs/program.enums';
import { createEventObligation } from '../reporting/obligation.service';
import { MemberRole, MissionStatus, RecommendationStatus } from './monitoring.enums';
import { Finding, Mission, MissionMember, MonitoringPlan, Recommendation } from './monitoring.entity';
import { missionList, planList, recommendationList } from './monitoring.list';
import type {
  CreateFindingInput,
  CreateMissionInput,
  CreateMonitoringPlanInput,
  CreateRecommendationInput,
  MissionMemberInput,
  UpdateMissionInput,
  UpdateRecommendationInput,
} from './monitoring.inputs';

const idOk = (id: string | null | undefined): id is string => !!id && /^\d{1,18}$/.test(id);
const uniq = (ids: string[]) => [...new Set(ids)];

export const getPlan = (ctx: Ctx, id: string) => findInScope(ctx, planList, id);
export const getMission = (ctx: Ctx, id: string) => findInScope(ctx, missionList, id);
export const getRecommendation = (ctx: Ctx, id: string) => findInScope(ctx, recommendationList, id);

// ---------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------

export async function createMonitoringPlan(ctx: Ctx, input: CreateMonitoringPlanInput): Promise<MonitoringPlan> {
  const v = new Validation();
  checkText(v, 'title', input.title, 500);
  checkText(v, 'documentRef', input.documentRef, 300, false);
  v.check(Number.isInteger(input.year) && input.year >= 2000 && input.year <= 2100, 'year', 'Năm không hợp lệ', 'Invalid year');
  const unit = idOk(input.unitId) ? await ctx.em.findOne(Unit, { id: input.unitId }) : null;
  if (!unit) v.add('unitId', 'Đơn vị không tồn tại', 'Unit does not exist');
  v.throwIfAny();
  await requireUnitsWritable(ctx, [unit!.id]);
  const plan = ctx.em.create(MonitoringPlan, {
    unit: ref(unit!),
    year: input.year,
    title: clean(input.title),
    documentRef: input.documentRef ? clean(input.documentRef) : null,
  });
  stamp(ctx, plan, true);
  ctx.audit = { entityType: 'MonitoringPlan', unitId: unit!.id };
  return plan;
}

// ---------------------------------------------------------------------------
// Missions: who may write, validation, overlap
// ---------------------------------------------------------------------------

/** ADMIN; a COORDINATOR when the lead unit lies in its scope; an AGENCY_OFFICER for missions its agency leads. */
async function requireMissionLeadWritable(ctx: Ctx, leadUnitId: string): Promise<void> {
  const caller = ctx.caller!;
  if (isAdmin(caller)) return;
  if (caller.role === Role.COORDINATOR) return requireUnitsWritable(ctx, [leadUnitId]);
  if (caller.role === Role.AGENCY_OFFICER && caller.homeUnitId === leadUnitId) return;
  throw forbidden();
}

interface UnitRow {
  id: string;
  path: string;
  kind: string;
  valid_from: string | null;
  valid_to: string | null;
  archived: boolean;
  root_path: string;
}

async function loadUnits(ctx: Ctx, ids: string[]): Promise<Map<string, UnitRow>> {
  const ok = ids.filter(idOk);
  if (!ok.length) return new Map();
  const rows = await sql<UnitRow>(
    ctx.em,
    `SELECT u.id::text, u.path, u.kind, u.valid_from::text, u.valid_to::text, u.archived_at IS NOT NULL AS archived,
       CASE WHEN u.kind = 'AGENCY' AND p.id IS NOT NULL THEN p.path ELSE u.path END AS root_path
     FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = ANY(?)`,
    [ok],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

interface MissionShape {
  programId: string;
  planId: string | null;
  leadUnitId: string;
  title: string;
  decisionRef: string | null;
  startDate: string;
  endDate: string;
  targetUnitIds: string[];
  componentIds: string[];
  members: MissionMemberInput[] | null;
}

function checkMembers(v: Validation, members: MissionMemberInput[]) {
  const heads = members.filter((m) => m.role === MemberRole.HEAD).length;
  v.check(heads === 1, 'members', 'Đoàn giám sát phải có đúng một trưởng đoàn (HEAD)', 'A mission needs exactly one HEAD');
  members.forEach((m, i) => {
    checkText(v, `members.${i}.name`, m.name, 300);
    checkText(v, `members.${i}.position`, m.position, 300, false);
  });
}

/** Validates a mission's fields as a whole (create and update); unit rows of the lead and target units are returned. */
async function validateMission(ctx: Ctx, s: MissionShape): Promise<void> {
  const v = new Validation();
  checkText(v, 'title', s.title, 500);
  checkText(v, 'decisionRef', s.decisionRef, 300, false);
  if (s.startDate > s.endDate)
    v.add('endDate', 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu', 'The end date must not be before the start date');
  if (s.members) checkMembers(v, s.members);
  v.check(s.targetUnitIds.length > 0, 'targetUnitIds', 'Cần ít nhất một đơn vị được giám sát', 'At least one unit to visit is required');
  const orgIds = uniq((s.members ?? []).map((m) => m.organizationId).filter((x): x is string => !!x));
  const units = await loadUnits(ctx, uniq([s.leadUnitId, ...s.targetUnitIds, ...orgIds]));
  const lead = units.get(s.leadUnitId);
  if (!lead || lead.archived) v.add('leadUnitId', 'Đơn vị chủ trì không tồn tại', 'The lead unit does not exist');
  for (const id of s.targetUnitIds) {
    const u = units.get(id);
    if (!u || u.archived) {
      v.add('targetUnitIds', `Đơn vị ${id} không tồn tại`, `Unit ${id} does not exist`);
      continue;
    }
    if ((u.valid_from && u.valid_from > s.startDate) || (u.valid_to && u.valid_to < s.endDate)) {
      v.add('targetUnitIds', `Đơn vị ${id} không còn hiệu lực trong thời gian giám sát`, `Unit ${id} is not valid on the mission's dates`);
    }
    if (lead && !u.path.startsWith(lead.root_path)) {
      v.add('targetUnitIds', `Đơn vị ${id} nằm ngoài phạm vi của đơn vị chủ trì`, `Unit ${id} lies outside the lead unit's scope`);
    }
  }
  for (const id of orgIds) if (!units.get(id)) v.add('members', `Đơn vị ${id} không tồn tại`, `Unit ${id} does not exist`);
  if (s.componentIds.length) {
    const found = await sql<{ id: string }>(
      ctx.em,
      'SELECT id::text FROM program_component WHERE id = ANY(?) AND program_id = ? AND archived_at IS NULL',
      [s.componentIds.filter(idOk), s.programId],
    );
    if (found.length !== s.componentIds.length)
      v.add('componentIds', 'Dự án không thuộc chương trình', 'A component does not belong to the program');
  }
  if (s.planId) {
    const plan = await getPlan(ctx, s.planId);
    if (!plan || plan.archivedAt) v.add('planId', 'Kế hoạch giám sát không tồn tại', 'The monitoring plan does not exist');
  }
  v.throwIfAny();
}

async function resolveProgram(ctx: Ctx, programId: string | null | undefined, startDate: string): Promise<string> {
  if (programId) {
    const p = idOk(programId) ? await ctx.em.findOne(Program, { id: programId, archivedAt: null }) : null;
    if (!p) throw badInput([{ field: 'programId', vi: 'Chương trình không tồn tại', en: 'The program does not exist' }]);
    return p.id;
  }
  const year = +startDate.slice(0, 4);
  const running = await sql<{ id: string }>(
    ctx.em,
    'SELECT id::text FROM program WHERE archived_at IS NULL AND start_year <= ? AND end_year >= ? ORDER BY start_year DESC, id DESC',
    [year, year],
  );
  if (running.length !== 1) {
    throw badInput([
      {
        field: 'programId',
        vi: running.length
          ? 'Có nhiều chương trình trong năm này: hãy chọn một'
          : 'Không có chương trình nào đang thực hiện vào ngày bắt đầu',
        en: running.length ? 'Several programs run that year: choose one' : 'No program runs on the start date',
      },
    ]);
  }
  return running[0].id;
}

export interface OverlapRow {
  id: string;
  title: string;
  startDate: string;
  endDate: string;
  leadUnit: { id: string; name: string };
}

/**
 * Non-cancelled missions other than `exceptId` visiting any of `unitIds` on a day of [start, end].
 * Callers lock the unit rows first, so two concurrent writers cannot both see "no overlap".
 */
async function overlapping(ctx: Ctx, unitIds: string[], start: string, end: string, exceptId: string | null): Promise<OverlapRow[]> {
  if (!unitIds.length) return [];
  const rows = await sql<{ id: string; title: string; start_date: string; end_date: string; lead_id: string; lead_name: string }>(
    ctx.em,
    `SELECT m.id::text, m.title, m.start_date::text, m.end_date::text, lu.id::text AS lead_id, lu.name AS lead_name
     FROM mission m JOIN unit lu ON lu.id = m.lead_unit_id
     WHERE m.status <> 'CANCELLED' AND m.archived_at IS NULL AND m.id IS DISTINCT FROM ?::bigint
       AND m.start_date <= ?::date AND m.end_date >= ?::date
       AND EXISTS (SELECT 1 FROM mission_target_unit mtu WHERE mtu.mission_id = m.id AND mtu.unit_id = ANY(?))
     ORDER BY m.start_date, m.id`,
    [exceptId, end, start, unitIds],
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    startDate: r.start_date,
    endDate: r.end_date,
    leadUnit: { id: r.lead_id, name: r.lead_name },
  }));
}

/** Serializes writers per visited unit: row locks in id order (no deadlock between two missions). */
async function lockUnits(ctx: Ctx, unitIds: string[]): Promise<void> {
  if (!unitIds.length) return;
  await sql(ctx.em, 'SELECT id FROM unit WHERE id = ANY(?) ORDER BY id FOR NO KEY UPDATE', [unitIds]);
}

function overlapError(missions: OverlapRow[]) {
  const list = missions.map((m) => `${m.title} (${m.startDate} – ${m.endDate})`).join('; ');
  const msg: Msg = {
    vi: `Trùng lịch với đợt giám sát khác tại cùng đơn vị: ${list}. Nêu lý do (overlapJustification) nếu vẫn muốn thực hiện`,
    en: `Overlaps other missions visiting the same unit: ${list}. Give an overlapJustification to proceed anyway`,
  };
  return ruleViolation('MISSION_OVERLAP', msg, { missions });
}

async function setMembers(ctx: Ctx, mission: Mission, members: MissionMemberInput[]) {
  members.forEach((m, i) => {
    const member = ctx.em.create(MissionMember, {
      mission: ref(mission),
      name: clean(m.name),
      position: m.position ? clean(m.position) : null,
      organization: m.organizationId ? ctx.em.getReference(Unit, m.organizationId, { wrapped: true }) : null,
      role: m.role,
      sortOrder: i,
    });
    stamp(ctx, member, true);
  });
}

const unitRefs = (ctx: Ctx, ids: string[]) => ids.map((id) => ctx.em.getReference(Unit, id));
const componentRefs = (ctx: Ctx, ids: string[]) => ids.map((id) => ctx.em.getReference(ProgramComponent, id));

export async function createMission(ctx: Ctx, input: CreateMissionInput): Promise<Mission> {
  const targetUnitIds = uniq(input.targetUnitIds ?? []);
  const componentIds = uniq(input.componentIds ?? []);
  const justification = input.overlapJustification ? clean(input.overlapJustification) : null;
  ctx.audit = { entityType: 'Mission', unitId: idOk(input.leadUnitId) ? input.leadUnitId : null, details: { targetUnitIds, componentIds } };
  if (!idOk(input.leadUnitId))
    throw badInput([{ field: 'leadUnitId', vi: 'Đơn vị chủ trì không tồn tại', en: 'The lead unit does not exist' }]);
  await requireMissionLeadWritable(ctx, input.leadUnitId);
  const programId = await resolveProgram(ctx, input.programId, input.startDate);
  const shape: MissionShape = {
    programId,
    planId: input.planId ?? null,
    leadUnitId: input.leadUnitId,
    title: input.title,
    decisionRef: input.decisionRef ?? null,
    startDate: input.startDate,
    endDate: input.endDate,
    targetUnitIds,
    componentIds,
    members: input.members ?? [],
  };
  await validateMission(ctx, shape);
  if (!isAdmin(ctx.caller!)) await requireUnitsWritable(ctx, targetUnitIds);

  await lockUnits(ctx, targetUnitIds);
  const overlaps = await overlapping(ctx, targetUnitIds, shape.startDate, shape.endDate, null);
  if (overlaps.length && !justification) throw overlapError(overlaps);

  const [{ id }] = await sql<{ id: string }>(ctx.em, "SELECT nextval(pg_get_serial_sequence('mission', 'id'))::text AS id");
  const mission = ctx.em.create(Mission, {
    id,
    program: ctx.em.getReference(Program, programId, { wrapped: true }),
    plan: shape.planId ? ctx.em.getReference(MonitoringPlan, shape.planId, { wrapped: true }) : null,
    title: clean(shape.title),
    leadUnit: ctx.em.getReference(Unit, shape.leadUnitId, { wrapped: true }),
    decisionRef: shape.decisionRef ? clean(shape.decisionRef) : null,
    startDate: shape.startDate,
    endDate: shape.endDate,
    status: MissionStatus.PLANNED,
    overlapJustification: justification,
  });
  mission.targetUnitSet.set(unitRefs(ctx, targetUnitIds));
  mission.componentSet.set(componentRefs(ctx, componentIds));
  stamp(ctx, mission, true);
  await setMembers(ctx, mission, shape.members!);
  ctx.audit.entityId = id;
  if (overlaps.length) ctx.audit.details = { ...ctx.audit.details, overlapJustification: justification, overlappingMissions: overlaps };
  return mission;
}

async function idsOf(ctx: Ctx, table: string, column: string, missionId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(ctx.em, `SELECT ${column}::text AS id FROM ${table} WHERE mission_id = ? ORDER BY ${column}`, [
    missionId,
  ]);
  return rows.map((r) => r.id);
}

const isOpen = (s: MissionStatus) => s === MissionStatus.PLANNED || s === MissionStatus.IN_PROGRESS;

export async function updateMission(ctx: Ctx, id: string, version: number, input: UpdateMissionInput): Promise<Mission> {
  const mission = requireFound(await getMission(ctx, id));
  const oldTargets = await idsOf(ctx, 'mission_target_unit', 'unit_id', mission.id);
  const oldComponents = await idsOf(ctx, 'mission_component', 'component_id', mission.id);
  ctx.audit = {
    entityType: 'Mission',
    entityId: mission.id,
    unitId: mission.leadUnit.id,
    before: { ...snapshot(mission), targetUnitIds: oldTargets, componentIds: oldComponents },
  };
  checkVersion(mission, version);
  await requireMissionLeadWritable(ctx, mission.leadUnit.id);
  if (!isOpen(mission.status)) {
    throw ruleViolation('MISSION_CLOSED', {
      vi: 'Đợt giám sát đã kết thúc hoặc đã hủy, không sửa được',
      en: 'The mission is completed or cancelled and cannot be changed',
    });
  }
  if (input.leadUnitId && input.leadUnitId !== mission.leadUnit.id) await requireMissionLeadWritable(ctx, input.leadUnitId);
  const targetUnitIds = input.targetUnitIds ? uniq(input.targetUnitIds) : oldTargets;
  const componentIds = input.componentIds ? uniq(input.componentIds) : oldComponents;
  const shape: MissionShape = {
    programId: mission.program.id,
    planId: input.planId !== undefined ? input.planId : (mission.plan?.id ?? null),
    leadUnitId: input.leadUnitId ?? mission.leadUnit.id,
    title: input.title ?? mission.title,
    decisionRef: input.decisionRef !== undefined ? input.decisionRef : (mission.decisionRef ?? null),
    startDate: input.startDate ?? mission.startDate,
    endDate: input.endDate ?? mission.endDate,
    targetUnitIds,
    componentIds,
    members: input.members ?? null,
  };
  await validateMission(ctx, shape);
  if (!isAdmin(ctx.caller!)) await requireUnitsWritable(ctx, targetUnitIds);

  const justification = input.overlapJustification ? clean(input.overlapJustification) : null;
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const moved = shape.startDate !== mission.startDate || shape.endDate !== mission.endDate || !sameSet(targetUnitIds, oldTargets);
  ctx.audit.details = { targetUnitIds, componentIds };
  if (moved) {
    await lockUnits(
      ctx,
      uniq([...oldTargets, ...targetUnitIds]).sort((a, b) => Number(a) - Number(b)),
    );
    // Overlaps accepted before stay accepted; only overlaps this change creates need a justification.
    const before = new Set((await overlapping(ctx, oldTargets, mission.startDate, mission.endDate, mission.id)).map((m) => m.id));
    const created = (await overlapping(ctx, targetUnitIds, shape.startDate, shape.endDate, mission.id)).filter((m) => !before.has(m.id));
    if (created.length && !justification) throw overlapError(created);
    if (created.length) ctx.audit.details = { ...ctx.audit.details, overlapJustification: justification, overlappingMissions: created };
  }
  if (justification) mission.overlapJustification = justification;
  if (shape.planId !== (mission.plan?.id ?? null))
    mission.plan = shape.planId ? ctx.em.getReference(MonitoringPlan, shape.planId, { wrapped: true }) : null;
  if (shape.leadUnitId !== mission.leadUnit.id) mission.leadUnit = ctx.em.getReference(Unit, shape.leadUnitId, { wrapped: true });
  mission.title = clean(shape.title);
  mission.decisionRef = shape.decisionRef ? clean(shape.decisionRef) : null;
  mission.startDate = shape.startDate;
  mission.endDate = shape.endDate;
  if (input.targetUnitIds) {
    await mission.targetUnitSet.init();
    mission.targetUnitSet.set(unitRefs(ctx, targetUnitIds));
  }
  if (input.componentIds) {
    await mission.componentSet.init();
    mission.componentSet.set(componentRefs(ctx, componentIds));
  }
  if (input.members) {
    await sql(ctx.em, 'UPDATE mission_member SET archived_at = now(), updated_by = ? WHERE mission_id = ? AND archived_at IS NULL', [
      ctx.caller?.userId ?? null,
      mission.id,
    ]);
    await setMembers(ctx, mission, input.members);
  }
  stamp(ctx, mission);
  return mission;
}

// ---------------------------------------------------------------------------
// Missions: status transitions
// ---------------------------------------------------------------------------

function invalidTransition(from: string, to: string) {
  return ruleViolation(
    'INVALID_TRANSITION',
    { vi: `Không thể chuyển trạng thái từ ${from} sang ${to}`, en: `Cannot move from ${from} to ${to}` },
    { from, to },
  );
}

const MISSION_MOVES: Record<MissionStatus, MissionStatus[]> = {
  [MissionStatus.PLANNED]: [MissionStatus.IN_PROGRESS, MissionStatus.CANCELLED],
  [MissionStatus.IN_PROGRESS]: [MissionStatus.COMPLETED, MissionStatus.CANCELLED],
  [MissionStatus.COMPLETED]: [],
  [MissionStatus.CANCELLED]: [],
};

async function moveMission(ctx: Ctx, id: string, version: number, to: MissionStatus): Promise<Mission> {
  const mission = requireFound(await getMission(ctx, id));
  ctx.audit = { entityType: 'Mission', entityId: mission.id, unitId: mission.leadUnit.id, before: snapshot(mission) };
  checkVersion(mission, version);
  await requireMissionLeadWritable(ctx, mission.leadUnit.id);
  if (!MISSION_MOVES[mission.status].includes(to)) throw invalidTransition(mission.status, to);
  mission.status = to;
  stamp(ctx, mission);
  return mission;
}

export const startMission = (ctx: Ctx, id: string, version: number) => moveMission(ctx, id, version, MissionStatus.IN_PROGRESS);

export async function cancelMission(ctx: Ctx, id: string, version: number, reason: string): Promise<Mission> {
  const v = new Validation();
  checkText(v, 'reason', reason, 2000);
  v.throwIfAny();
  const mission = await moveMission(ctx, id, version, MissionStatus.CANCELLED);
  mission.cancelReason = clean(reason);
  return mission;
}

/** Completing creates the mission's MONITORING_MISSION report obligation (due N working days after the end). */
export async function completeMission(ctx: Ctx, id: string, version: number): Promise<Mission> {
  const mission = await moveMission(ctx, id, version, MissionStatus.COMPLETED);
  const obligation = await createEventObligation(ctx, {
    programId: mission.program.id,
    type: ReportType.MONITORING_MISSION,
    submitterId: mission.leadUnit.id,
    eventDate: mission.endDate,
    missionId: mission.id,
    title: `Báo cáo kết quả giám sát: ${mission.title}`,
  });
  ctx.audit.details = { ...ctx.audit.details, obligationId: obligation.id, reportDueDate: obligation.dueDate };
  return mission;
}

/** What is already planned at a unit (and below it) over a period, for planners; within the caller's scope. */
export async function plannedMissions(ctx: Ctx, unitId: string, from: string, to: string): Promise<Mission[]> {
  if (from > to)
    throw badInput([
      { field: 'to', vi: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu', en: 'The end date must not be before the start date' },
    ]);
  if (!idOk(unitId)) return [];
  const page = await listPage(ctx, missionList, { filter: { status: { ne: MissionStatus.CANCELLED } }, limit: 500 }, false, {
    sql: `t.start_date <= ?::date AND t.end_date >= ?::date AND EXISTS (
            SELECT 1 FROM mission_target_unit pm JOIN unit pu ON pu.id = pm.unit_id
            WHERE pm.mission_id = t.id AND pu.path LIKE (SELECT pp.path FROM unit pp WHERE pp.id = ?) || '%')`,
    params: [to, from, unitId],
  });
  return page.nodes;
}

// ---------------------------------------------------------------------------
// Findings and recommendations
// ---------------------------------------------------------------------------

export async function createFinding(ctx: Ctx, input: CreateFindingInput): Promise<Finding> {
  const mission = requireFound(idOk(input.missionId) ? await getMission(ctx, input.missionId) : null);
  ctx.audit = { entityType: 'Finding', unitId: input.unitId ?? mission.leadUnit.id, details: { missionId: mission.id } };
  await requireMissionLeadWritable(ctx, mission.leadUnit.id);
  if (mission.status === MissionStatus.CANCELLED) throw invalidTransition(mission.status, 'FINDING');
  const v = new Validation();
  checkText(v, 'description', input.description, 10000);
  if (input.unitId) {
    const visited = idOk(input.unitId)
      ? await sqlOne(
          ctx.em,
          `SELECT 1 FROM mission_target_unit mtu JOIN unit tu ON tu.id = mtu.unit_id JOIN unit u ON u.path LIKE tu.path || '%'
           WHERE mtu.mission_id = ? AND u.id = ?`,
          [mission.id, input.unitId],
        )
      : undefined;
    v.check(!!visited, 'unitId', 'Đơn vị không thuộc các đơn vị được giám sát', 'The unit was not visited by the mission');
  }
  if (input.componentId) {
    const c = idOk(input.componentId)
      ? await sqlOne(ctx.em, 'SELECT 1 FROM program_component WHERE id = ? AND program_id = ?', [input.componentId, mission.program.id])
      : undefined;
    v.check(!!c, 'componentId', 'Dự án không thuộc chương trình của đợt giám sát', "The component is not part of the mission's program");
  }
  v.throwIfAny();
  const finding = ctx.em.create(Finding, {
    mission: ref(mission),
    unit: input.unitId ? ctx.em.getReference(Unit, input.unitId, { wrapped: true }) : null,
    component: input.componentId ? ctx.em.getReference(ProgramComponent, input.componentId, { wrapped: true }) : null,
    kind: input.kind,
    description: clean(input.description),
  });
  stamp(ctx, finding, true);
  return finding;
}

export async function createRecommendation(ctx: Ctx, input: CreateRecommendationInput): Promise<Recommendation> {
  const mission = requireFound(idOk(input.missionId) ? await getMission(ctx, input.missionId) : null);
  ctx.audit = {
    entityType: 'Recommendation',
    unitId: idOk(input.addresseeId) ? input.addresseeId : mission.leadUnit.id,
    details: { missionId: mission.id },
  };
  await requireMissionLeadWritable(ctx, mission.leadUnit.id);
  if (mission.status === MissionStatus.CANCELLED) throw invalidTransition(mission.status, 'RECOMMENDATION');
  const v = new Validation();
  checkText(v, 'content', input.content, 10000);
  const addressee = idOk(input.addresseeId) ? await ctx.em.findOne(Unit, { id: input.addresseeId, archivedAt: null }) : null;
  v.check(!!addressee, 'addresseeId', 'Đơn vị nhận kiến nghị không tồn tại', 'The addressee does not exist');
  if (input.findingId) {
    const f = idOk(input.findingId)
      ? await sqlOne(ctx.em, 'SELECT 1 FROM finding WHERE id = ? AND mission_id = ?', [input.findingId, mission.id])
      : undefined;
    v.check(!!f, 'findingId', 'Phát hiện không thuộc đợt giám sát này', 'The finding does not belong to this mission');
  }
  v.throwIfAny();
  const rec = ctx.em.create(Recommendation, {
    mission: ref(mission),
    finding: input.findingId ? ctx.em.getReference(Finding, input.findingId, { wrapped: true }) : null,
    addressee: ref(addressee!),
    content: clean(input.content),
    dueDate: input.dueDate ?? null,
    status: RecommendationStatus.OPEN,
  });
  stamp(ctx, rec, true);
  return rec;
}

const REC_MOVES: Record<RecommendationStatus, RecommendationStatus[]> = {
  [RecommendationStatus.OPEN]: [
    RecommendationStatus.OPEN,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.RESOLVED,
    RecommendationStatus.REJECTED,
  ],
  [RecommendationStatus.IN_PROGRESS]: [RecommendationStatus.IN_PROGRESS, RecommendationStatus.RESOLVED, RecommendationStatus.REJECTED],
  [RecommendationStatus.RESOLVED]: [],
  [RecommendationStatus.REJECTED]: [],
};

/**
 * The addressee follows up its own: users whose home unit is the addressee (an agency officer of an
 * addressed agency, a commune officer of an addressed commune), coordinators with the addressee or
 * the mission's lead unit in scope, and officers of the agency that led the mission.
 */
async function requireRecommendationWritable(ctx: Ctx, rec: Recommendation, leadUnitId: string): Promise<void> {
  const caller = ctx.caller!;
  if (isAdmin(caller)) return;
  if (caller.homeUnitId === rec.addressee.id || caller.homeUnitId === leadUnitId) return;
  if (caller.role === Role.COORDINATOR) {
    const inScope = await unitsInScope(ctx, [rec.addressee.id, leadUnitId]);
    if (inScope.size) return;
  }
  throw forbidden();
}

export async function updateRecommendation(
  ctx: Ctx,
  id: string,
  version: number,
  input: UpdateRecommendationInput,
): Promise<Recommendation> {
  const rec = requireFound(await getRecommendation(ctx, id));
  const mission = await ctx.em.findOneOrFail(Mission, { id: rec.mission.id });
  ctx.audit = { entityType: 'Recommendation', entityId: rec.id, unitId: rec.addressee.id, before: snapshot(rec) };
  checkVersion(rec, version);
  await requireRecommendationWritable(ctx, rec, mission.leadUnit.id);
  const to = input.status ?? rec.status;
  if (!REC_MOVES[rec.status].includes(to)) throw invalidTransition(rec.status, to);
  const closing = to === RecommendationStatus.RESOLVED || to === RecommendationStatus.REJECTED;
  const resolution = input.resolution !== undefined ? (input.resolution ? clean(input.resolution) : null) : (rec.resolution ?? null);
  const v = new Validation();
  checkText(v, 'resolution', input.resolution, 10000, false);
  if (closing) v.check(!!resolution, 'resolution', 'Cần nêu kết quả xử lý', 'A resolution text is required');
  v.throwIfAny();
  rec.status = to;
  rec.resolution = resolution;
  if (closing) rec.resolvedAt = new Date();
  stamp(ctx, rec);
  return rec;
}
