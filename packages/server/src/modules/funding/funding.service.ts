import { createHash } from 'node:crypto';
import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, conflict, forbidden, notFound, ruleViolation } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { findInScope, listWhere } from '../../graphql/list';
import { sql, sqlOne } from '../../db/sql';
import { isAdmin, Role } from '../../auth/roles';
import { unitsInScope } from '../../auth/scope';
import { ProgramComponent, Program } from '../programs/program.entity';
import { Unit, UnitKind } from '../units/unit.entity';
import { Disbursement, FundingAllocation, FundingRevision, FundingSummaryRow } from './funding.entity';
import { FundingDimension, type FundingSource } from './funding.enums';
import { allocationList } from './funding.list';
import type { CreateFundingAllocationInput, RecordDisbursementInput, ReviseFundingAllocationInput } from './funding.inputs';

const idOk = (id: string | null | undefined): id is string => !!id && /^\d{1,18}$/.test(id);
const WRITERS = new Set<Role>([Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER]);
const MAX_KEY = 200;

export const getAllocation = (ctx: Ctx, id: string) => findInScope(ctx, allocationList, id);

/**
 * Disbursed / allocated, half-up to 4 decimals, exactly (BigInt); null when nothing is allocated.
 * The same rule as `rateSql` for summaries.
 */
export function disbursementRate(disbursed: string, allocated: string): string | null {
  const a = BigInt(allocated);
  if (a === 0n) return null;
  const d = BigInt(disbursed);
  const neg = d < 0n !== a < 0n && d !== 0n;
  const n = (d < 0n ? -d : d) * 20000n + (a < 0n ? -a : a);
  const q = n / (2n * (a < 0n ? -a : a)); // ten-thousandths, half-up (away from zero)
  const s = q.toString().padStart(5, '0');
  return `${neg ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
}

/** SQL for the same rate over numeric sums (half away from zero, exact integer division). */
const rateSql = (d: string, a: string) =>
  `CASE WHEN ${a} = 0 THEN NULL ELSE round(sign(${d}) * sign(${a}) * div(abs(${d}) * 20000 + abs(${a}), 2 * abs(${a})) / 10000, 4)::text END`;

/** Whole-VND amount that may not be negative. */
function checkNonNegative(v: Validation, field: string, amount: string | null | undefined) {
  if (amount != null && BigInt(amount) < 0n) v.add(field, 'Số tiền không được âm', 'The amount must not be negative');
}

/**
 * Who may change money of `componentId` at `unitId` (API.md, Access): ADMIN; a COORDINATOR in scope;
 * an AGENCY_OFFICER for the components its agency leads in a unit above or at `unitId`.
 * `readable`: the caller can see the record (FORBIDDEN), else NOT_FOUND.
 */
async function requireFundingWriter(ctx: Ctx, componentId: string, unitId: string, readable: boolean): Promise<void> {
  const caller = ctx.caller;
  if (!caller || caller.kind !== 'user' || !WRITERS.has(caller.role)) throw readable ? forbidden() : notFound();
  if (isAdmin(caller)) return;
  const inScope = await unitsInScope(ctx, [unitId]);
  if (!inScope.has(unitId)) throw readable ? forbidden() : notFound();
  if (caller.role === Role.AGENCY_OFFICER) {
    const leads = await sqlOne(
      ctx.em,
      `SELECT 1 FROM lead_agency la JOIN unit lu ON lu.id = la.unit_id JOIN unit au ON au.id = ?
       WHERE la.component_id = ? AND la.agency_id = ? AND la.archived_at IS NULL AND au.path LIKE lu.path || '%'`,
      [unitId, componentId, caller.homeUnitId],
    );
    if (!leads) {
      throw forbidden({
        vi: 'Cơ quan của bạn không chủ trì dự án này tại đơn vị này',
        en: 'Your agency does not lead this component in this unit',
      });
    }
  }
}

export async function createAllocation(ctx: Ctx, input: CreateFundingAllocationInput): Promise<FundingAllocation> {
  ctx.audit = { entityType: 'FundingAllocation' };
  if (!ctx.caller || !WRITERS.has(ctx.caller.role)) throw forbidden();
  const v = new Validation();
  checkNonNegative(v, 'plannedAmount', input.plannedAmount);
  checkNonNegative(v, 'allocatedAmount', input.allocatedAmount);
  if (input.decisionRef != null) checkText(v, 'decisionRef', input.decisionRef, 500, false);
  const component = idOk(input.componentId) ? await ctx.em.findOne(ProgramComponent, { id: input.componentId }) : null;
  const unit = idOk(input.unitId) ? await ctx.em.findOne(Unit, { id: input.unitId }) : null;
  if (!component || component.archivedAt) v.add('componentId', 'Dự án không tồn tại', 'The component does not exist');
  if (!unit || unit.archivedAt) v.add('unitId', 'Đơn vị không tồn tại', 'The unit does not exist');
  else if (unit.kind === UnitKind.AGENCY)
    v.add('unitId', 'Vốn được giao cho đơn vị hành chính, không cho cơ quan', 'Funds are allocated to administrative units, not agencies');
  if (component) {
    const program = await ctx.em.findOneOrFail(Program, { id: component.program.id });
    if (!Number.isInteger(input.year) || input.year < program.startYear || input.year > program.endYear) {
      v.add(
        'year',
        `Năm phải trong giai đoạn ${program.startYear}–${program.endYear}`,
        `The year must lie in ${program.startYear}–${program.endYear}`,
      );
    }
  }
  v.throwIfAny();
  ctx.audit.unitId = unit!.id;
  await requireFundingWriter(ctx, component!.id, unit!.id, true);
  const dup = await sqlOne(ctx.em, 'SELECT 1 FROM funding_allocation WHERE component_id = ? AND unit_id = ? AND year = ? AND source = ?', [
    component!.id,
    unit!.id,
    input.year,
    input.source,
  ]);
  if (dup) {
    throw conflict({
      vi: 'Đã có dòng vốn cho dự án, đơn vị, năm và nguồn này',
      en: 'An allocation for this component, unit, year and source already exists',
    });
  }
  const decisionRef = input.decisionRef ? clean(input.decisionRef) || null : null;
  const allocation = ctx.em.create(FundingAllocation, {
    component: ref(component!),
    unit: ref(unit!),
    year: input.year,
    source: input.source,
    plannedAmount: input.plannedAmount,
    allocatedAmount: input.allocatedAmount,
    disbursedAmount: '0',
    decisionRef,
  });
  stamp(ctx, allocation, true);
  const original = ctx.em.create(FundingRevision, {
    allocation: ref(allocation),
    plannedAmount: input.plannedAmount,
    allocatedAmount: input.allocatedAmount,
    decisionRef,
    reason: null,
  });
  stamp(ctx, original, true);
  return allocation;
}

/** Locks the allocation row for the rest of the transaction, then reads it through the caller's scope. */
async function lockAllocation(ctx: Ctx, id: string): Promise<FundingAllocation> {
  if (!idOk(id)) throw notFound();
  if (!ctx.caller || !WRITERS.has(ctx.caller.role)) {
    // Roles that write no money take no lock: FORBIDDEN when they can read the record, else NOT_FOUND.
    throw (await getAllocation(ctx, id)) ? forbidden() : notFound();
  }
  await sql(ctx.em, 'SELECT 1 FROM funding_allocation WHERE id = ? FOR UPDATE', [id]);
  return requireFound(await getAllocation(ctx, id));
}

export async function reviseAllocation(
  ctx: Ctx,
  id: string,
  version: number,
  input: ReviseFundingAllocationInput,
): Promise<FundingAllocation> {
  ctx.audit = { entityType: 'FundingAllocation', entityId: id };
  const a = await lockAllocation(ctx, id);
  ctx.audit = { entityType: 'FundingAllocation', entityId: a.id, unitId: a.unit.id, before: snapshot(a) };
  await requireFundingWriter(ctx, a.component.id, a.unit.id, true);
  checkVersion(a, version);
  const v = new Validation();
  v.check(input.plannedAmount != null || input.allocatedAmount != null, 'allocatedAmount', 'Cần số liệu mới', 'New figures are required');
  checkNonNegative(v, 'plannedAmount', input.plannedAmount);
  checkNonNegative(v, 'allocatedAmount', input.allocatedAmount);
  if (input.decisionRef != null) checkText(v, 'decisionRef', input.decisionRef, 500, false);
  if (input.reason != null) checkText(v, 'reason', input.reason, 2000, false);
  v.throwIfAny();
  const planned = input.plannedAmount ?? a.plannedAmount;
  const allocated = input.allocatedAmount ?? a.allocatedAmount;
  if (BigInt(allocated) < BigInt(a.disbursedAmount)) {
    throw ruleViolation(
      'REVISION_BELOW_DISBURSED',
      {
        vi: `Không thể giao vốn thấp hơn số đã giải ngân (${a.disbursedAmount} đồng)`,
        en: `The allocation cannot be revised below what was disbursed (${a.disbursedAmount} VND)`,
      },
      { disbursedAmount: a.disbursedAmount },
    );
  }
  const decisionRef = input.decisionRef != null ? clean(input.decisionRef) || null : (a.decisionRef ?? null);
  a.plannedAmount = planned;
  a.allocatedAmount = allocated;
  a.decisionRef = decisionRef;
  stamp(ctx, a);
  const revision = ctx.em.create(FundingRevision, {
    allocation: ref(a),
    plannedAmount: planned,
    allocatedAmount: allocated,
    decisionRef,
    reason: input.reason != null ? clean(input.reason) || null : null,
  });
  stamp(ctx, revision, true);
  ctx.audit.details = { reason: revision.reason, decisionRef };
  return a;
}

const payloadHash = (p: { allocationId: string; date: string; amount: string; reference: string | null }) =>
  createHash('sha256')
    .update(JSON.stringify([p.allocationId, p.date, p.amount, p.reference]))
    .digest('hex');

/**
 * Records a disbursement under the allocation's row lock, so concurrent requests see each other's
 * totals; an idempotency key is reserved in the same transaction (unique per caller and key).
 */
export async function recordDisbursement(ctx: Ctx, input: RecordDisbursementInput): Promise<Disbursement> {
  ctx.audit = { entityType: 'Disbursement', details: { allocationId: input.allocationId } };
  const v = new Validation();
  v.check(BigInt(input.amount) !== 0n, 'amount', 'Số tiền phải khác 0', 'The amount must not be zero');
  if (input.reference != null) checkText(v, 'reference', input.reference, 500, false);
  if (input.idempotencyKey != null) checkText(v, 'idempotencyKey', input.idempotencyKey, MAX_KEY, true);
  v.throwIfAny();
  const a = await lockAllocation(ctx, input.allocationId);
  ctx.audit = { entityType: 'Disbursement', unitId: a.unit.id, details: { allocationId: a.id } };
  await requireFundingWriter(ctx, a.component.id, a.unit.id, true);
  const first = `${a.year}-01-01`;
  const last = `${a.year + 1}-12-31`;
  if (input.date < first || input.date > last) {
    throw badInput([
      {
        field: 'date',
        vi: `Ngày giải ngân phải từ ${first} đến ${last} (năm kế hoạch và năm chuyển nguồn)`,
        en: `The date must lie between ${first} and ${last} (the allocation's year and the carry-over year)`,
      },
    ]);
  }
  const reference = input.reference != null ? clean(input.reference) || null : null;
  let keyRowId: string | undefined;
  if (input.idempotencyKey != null) {
    const key = clean(input.idempotencyKey);
    const hash = payloadHash({ allocationId: a.id, date: input.date, amount: input.amount, reference });
    const userId = ctx.caller!.userId;
    const inserted = await sqlOne<{ id: string }>(
      ctx.em,
      `INSERT INTO disbursement_idempotency (user_id, key, payload_hash) VALUES (?, ?, ?)
       ON CONFLICT (user_id, key) DO NOTHING RETURNING id::text AS id`,
      [userId, key, hash],
    );
    if (!inserted) {
      const seen = await sqlOne<{ payload_hash: string; disbursement_id: string | null }>(
        ctx.em,
        'SELECT payload_hash, disbursement_id::text AS disbursement_id FROM disbursement_idempotency WHERE user_id = ? AND key = ?',
        [userId, key],
      );
      if (!seen || seen.payload_hash !== hash || !seen.disbursement_id) {
        throw conflict({
          vi: 'Khóa chống trùng lặp đã được dùng cho một yêu cầu khác',
          en: 'The idempotency key was already used with a different request',
        });
      }
      const earlier = await sqlOne<Record<string, unknown>>(ctx.em, 'SELECT * FROM disbursement WHERE id = ?', [seen.disbursement_id]);
      ctx.audit = { ...ctx.audit, entityId: seen.disbursement_id, details: { ...ctx.audit.details, idempotentReplay: true } };
      return ctx.em.map(Disbursement, earlier!);
    }
    keyRowId = inserted.id;
  }
  const totals = (await sqlOne<{ total: string; below: boolean; exceeds: boolean; allocated: string }>(
    ctx.em,
    `SELECT (disbursed_amount + ?::numeric)::text AS total, allocated_amount::text AS allocated,
       disbursed_amount + ?::numeric < 0 AS below, disbursed_amount + ?::numeric > allocated_amount AS exceeds
     FROM funding_allocation WHERE id = ?`,
    [input.amount, input.amount, input.amount, a.id],
  ))!;
  if (totals.below) {
    throw ruleViolation('DISBURSEMENT_BELOW_ZERO', {
      vi: 'Tổng giải ngân không được nhỏ hơn 0',
      en: 'The disbursed total must not go below zero',
    });
  }
  if (totals.exceeds) {
    throw ruleViolation(
      'DISBURSEMENT_EXCEEDS_ALLOCATION',
      {
        vi: `Tổng giải ngân vượt số vốn được giao (${totals.allocated} đồng)`,
        en: `The disbursed total would exceed the allocation (${totals.allocated} VND)`,
      },
      { allocatedAmount: totals.allocated },
    );
  }
  const who = ctx.caller?.userId ?? null;
  const row = (await sqlOne<Record<string, unknown>>(
    ctx.em,
    `INSERT INTO disbursement (allocation_id, unit_id, date, amount, reference, created_by, updated_by)
     VALUES (?, ?, ?::date, ?::numeric, ?, ?, ?) RETURNING *`,
    [a.id, a.unit.id, input.date, input.amount, reference, who, who],
  ))!;
  await sql(
    ctx.em,
    'UPDATE funding_allocation SET disbursed_amount = disbursed_amount + ?::numeric, updated_at = now(), updated_by = ? WHERE id = ?',
    [input.amount, who, a.id],
  );
  if (keyRowId) await sql(ctx.em, 'UPDATE disbursement_idempotency SET disbursement_id = ? WHERE id = ?', [row.id, keyRowId]);
  ctx.audit.details = { ...ctx.audit.details, disbursedBefore: a.disbursedAmount, disbursedAfter: totals.total };
  return ctx.em.map(Disbursement, row);
}

export interface SummaryArgs {
  filter?: Record<string, unknown> | null;
  groupBy: FundingDimension[];
  unitLevel?: number | null;
  disbursedUntil?: string | null;
}

/** Levels the funding roll-up holds (provinces and what sits directly under them). */
const ROLLUP_MAX_LEVEL = 1;
/** Filter fields the roll-up carries with the same meaning as the ledger's (`underUnit` needs its level). */
const ROLLUP_FILTER_FIELDS = new Set(['year', 'source', 'componentId', 'underUnit']);

/**
 * fundingSummary in one statement: the allocation filter and scope, grouped by the chosen keys.
 *
 * When the question only needs units of level ≤ 1 (provinces, districts) and filters by what the roll-up
 * keeps, the sums come from `funding_rollup` (a few thousand rows nationally) instead of every allocation
 * line; the answer is the same (tests/api/funding-rollup.test.ts compares both on every shape).
 */
export async function fundingSummary(ctx: Ctx, args: SummaryArgs): Promise<FundingSummaryRow[]> {
  if (args.unitLevel != null && (!Number.isInteger(args.unitLevel) || args.unitLevel < 0 || args.unitLevel > 50)) {
    throw badInput([{ field: 'unitLevel', vi: 'Cấp đơn vị phải ≥ 0', en: 'unitLevel must be ≥ 0' }]);
  }
  const dims = new Set(args.groupBy);
  const params: unknown[] = [];
  const scoped = !!ctx.caller && !isAdmin(ctx.caller);
  const scopeLevel = scoped && ctx.caller?.scopePath ? ctx.caller.scopePath.split('/').filter(Boolean).length - 1 : 0;
  // The level units are grouped at: nothing rolls up above the caller's scope root.
  const level = args.unitLevel == null ? null : Math.max(args.unitLevel, scopeLevel);
  const rollupLevel = await rollupLevelFor(ctx, args, dims, level, scopeLevel);
  // Grouped on cheap keys (integers, the enum), cast to text for the answer only: sorting or hashing
  // tens of thousands of collated strings was most of the statement's time.
  const keys: { alias: string; expr: string; out: string }[] = [];
  if (dims.has(FundingDimension.YEAR)) keys.push({ alias: 'year', expr: 't.year', out: 'g.year' });
  if (dims.has(FundingDimension.SOURCE)) keys.push({ alias: 'source', expr: 't.source', out: 'g.source::text' });
  if (dims.has(FundingDimension.UNIT)) {
    if (level == null) keys.push({ alias: 'unit_id', expr: 't.unit_id', out: 'g.unit_id::text' });
    else
      keys.push({
        alias: 'unit_id',
        expr: `(CASE WHEN u.level > ${level} THEN split_part(u.path, '/', ${level + 2})::bigint ELSE u.id END)`,
        out: 'g.unit_id::text',
      });
  }
  const byComponent = dims.has(FundingDimension.PROJECT) || dims.has(FundingDimension.SUB_PROJECT);
  if (dims.has(FundingDimension.PROJECT))
    keys.push({ alias: 'project_id', expr: 'COALESCE(c.parent_id, c.id)', out: 'g.project_id::text' });
  if (dims.has(FundingDimension.SUB_PROJECT))
    keys.push({ alias: 'sub_project_id', expr: "(CASE WHEN c.kind = 'SUB_PROJECT' THEN c.id END)", out: 'g.sub_project_id::text' });
  const disbursed = args.disbursedUntil
    ? (params.push(args.disbursedUntil),
      'COALESCE((SELECT sum(d.amount) FROM disbursement d WHERE d.allocation_id = t.id AND d.date <= ?::date), 0)')
    : 't.disbursed_amount';
  const { where, params: whereParams } = listWhere(ctx, allocationList, args.filter);
  params.push(...whereParams);
  const positions = keys.map((_, i) => String(i + 1));
  // The roll-up's rows stand for the ledger's lines: those of units at the roll-up level (summed below
  // them) and the lines of units above it (held as `direct` rows). Its `unit_id` is that unit, so the
  // ledger's filter and scope SQL apply unchanged; it has no archived rows.
  const source = rollupLevel == null ? 'funding_allocation t' : `(SELECT r.*, NULL::timestamptz AS archived_at FROM funding_rollup r) t`;
  const levelTest = rollupLevel == null ? '' : `AND (t.level = ${rollupLevel} OR (t.direct AND t.level < ${rollupLevel}))`;
  const having = rollupLevel != null && positions.length ? 'HAVING sum(t.lines) > 0' : '';
  const rows = await sql<Record<string, string | null>>(
    ctx.em,
    `SELECT ${[...keys.map((k) => `${k.out} AS ${k.alias}`), 'g.planned::text AS planned', 'g.allocated::text AS allocated', 'g.disbursed::text AS disbursed', `${rateSql('g.disbursed', 'g.allocated')} AS rate`].join(', ')}
     FROM (
       SELECT ${[...keys.map((k) => `${k.expr} AS ${k.alias}`), 'COALESCE(sum(t.planned_amount), 0) AS planned', 'COALESCE(sum(t.allocated_amount), 0) AS allocated', `COALESCE(sum(${rollupLevel == null ? disbursed : 't.disbursed_amount'}), 0) AS disbursed`].join(', ')}
       FROM ${source}
         JOIN unit u ON u.id = t.unit_id
         ${byComponent ? 'JOIN program_component c ON c.id = t.component_id' : ''}
       WHERE ${where} ${levelTest}
       ${positions.length ? `GROUP BY ${positions.join(', ')}` : ''}
       ${having}
     ) g
     ${positions.length ? `ORDER BY ${positions.join(', ')}` : ''}`,
    params,
    // Without parameters the statement has one plan whatever runs it, so it is planned once per connection
    // (planning took more PostgreSQL time than running the national summary at scale S: ANALYSIS.md, item 25). With parameters it is planned for
    // them every time: a generic plan for the optional filters can be far slower (db/sql.ts, `prepared`).
    { prepared: params.length === 0 },
  );
  return rows.map((r) => {
    const row = new FundingSummaryRow();
    row.year = r.year != null ? Number(r.year) : null;
    row.source = (r.source as FundingSource | null) ?? null;
    row.unitId = r.unit_id ?? null;
    row.projectId = r.project_id ?? null;
    row.subProjectId = r.sub_project_id ?? null;
    row.plannedAmount = r.planned!;
    row.allocatedAmount = r.allocated!;
    row.disbursedAmount = r.disbursed!;
    row.disbursementRate = r.rate;
    return row;
  });
}

/**
 * The roll-up level that answers a summary, or null when only the ledger can: units grouped at level ≤ 1
 * (or not grouped), no cut-off date for disbursements, and a filter of roll-up fields only (top level, not
 * archived). The roll-up is read at the finest level the question needs: the grouping level, the caller's
 * scope root and `underUnit`.
 */
async function rollupLevelFor(
  ctx: Ctx,
  args: SummaryArgs,
  dims: Set<FundingDimension>,
  level: number | null,
  scopeLevel: number,
): Promise<number | null> {
  if (!ctx.config.summaryRollups || args.disbursedUntil) return null;
  if (dims.has(FundingDimension.UNIT) && level == null) return null;
  const filter = Object.entries(args.filter ?? {}).filter(([, v]) => v != null);
  if (filter.some(([k, v]) => (k === 'archived' ? v !== false : !ROLLUP_FILTER_FIELDS.has(k)))) return null;
  let needed = Math.max(level ?? 0, scopeLevel);
  const under = args.filter?.underUnit;
  if (under != null) {
    if (!/^\d{1,18}$/.test(String(under))) return null;
    const row = await sqlOne<{ level: number }>(ctx.em, 'SELECT level FROM unit WHERE id = ?', [String(under)]);
    if (!row) return null;
    needed = Math.max(needed, row.level);
  }
  return needed <= ROLLUP_MAX_LEVEL ? needed : null;
}
