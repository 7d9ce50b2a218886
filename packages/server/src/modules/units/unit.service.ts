import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, conflict } from '../../common/errors';
import { checkDateOrder, checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql, sqlOne } from '../../db/sql';
import { findInScope } from '../../graphql/list';
import { AgencyRole, DistrictAgency, Unit, UnitKind } from './unit.entity';
import { unitList } from './unit.list';
import type { CreateUnitInput, UpdateUnitInput } from './unit.inputs';

const CODE_RE = /^[\p{L}\p{N}._-]{1,64}$/u;

/** Validity of a child must lie inside its parent's (null = open-ended). */
function checkInsideParent(v: Validation, parent: Unit | null, from: string | null | undefined, to: string | null | undefined) {
  if (!parent) return;
  if (parent.validFrom && (!from || from < parent.validFrom)) {
    v.add(
      'validFrom',
      `Phải từ ngày ${parent.validFrom} (hiệu lực của đơn vị cấp trên)`,
      `Must be on or after ${parent.validFrom} (the parent's validity)`,
    );
  }
  if (parent.validTo && (!to || to > parent.validTo)) {
    v.add(
      'validTo',
      `Phải đến ngày ${parent.validTo} là cùng (hiệu lực của đơn vị cấp trên)`,
      `Must be on or before ${parent.validTo} (the parent's validity)`,
    );
  }
}

export async function getUnit(ctx: Ctx, id: string): Promise<Unit | null> {
  return findInScope(ctx, unitList, id);
}

async function loadUnit(ctx: Ctx, id: string, field: string): Promise<Unit> {
  const u = /^\d{1,18}$/.test(id) ? await ctx.em.findOne(Unit, { id }) : null;
  if (!u) throw badInput([{ field, vi: 'Đơn vị không tồn tại', en: 'Unit does not exist' }]);
  return u;
}

async function ensureCodeFree(ctx: Ctx, code: string, exceptId?: string) {
  const row = await sqlOne(ctx.em, 'SELECT id FROM unit WHERE code = ? AND id IS DISTINCT FROM ?', [code, exceptId ?? null]);
  if (row)
    throw conflict(
      { vi: `Mã đơn vị ${code} đã được dùng`, en: `Unit code ${code} is already used` },
      { fields: [{ field: 'code', message: 'Mã đã tồn tại', en: 'Code already used' }] },
    );
}

async function setSuccessors(ctx: Ctx, unit: Unit, ids: string[]) {
  const v = new Validation();
  const successors: Unit[] = [];
  for (const id of new Set(ids)) {
    if (id === unit.id) v.add('successorIds', 'Đơn vị không thể kế thừa chính nó', 'A unit cannot succeed itself');
    else successors.push(await loadUnit(ctx, id, 'successorIds'));
  }
  v.throwIfAny();
  unit.successorUnits.set(successors);
}

export async function createUnit(ctx: Ctx, input: CreateUnitInput): Promise<Unit> {
  const v = new Validation();
  checkText(v, 'code', input.code, 64);
  checkText(v, 'name', input.name, 300);
  if (input.code && !CODE_RE.test(clean(input.code)))
    v.add('code', 'Mã chỉ gồm chữ, số, dấu chấm, gạch', 'Code may hold letters, digits, dots and dashes only');
  checkDateOrder(v, input.validFrom, input.validTo);
  const parent = input.parentId ? await loadUnit(ctx, input.parentId, 'parentId') : null;
  checkInsideParent(v, parent, input.validFrom, input.validTo);
  v.throwIfAny();
  const code = clean(input.code);
  await ensureCodeFree(ctx, code);
  const [{ id }] = await sql<{ id: string }>(ctx.em, "SELECT nextval(pg_get_serial_sequence('unit', 'id'))::text AS id");
  const unit = ctx.em.create(Unit, {
    id,
    code,
    name: clean(input.name),
    kind: input.kind,
    parent: parent ? ref(parent) : null,
    path: `${parent ? parent.path : '/'}${id}/`,
    level: parent ? parent.level + 1 : 0,
    validFrom: input.validFrom ?? null,
    validTo: input.validTo ?? null,
  });
  stamp(ctx, unit, true);
  if (input.successorIds?.length) await setSuccessors(ctx, unit, input.successorIds);
  ctx.audit = { entityType: 'Unit', unitId: id };
  return unit;
}

export async function updateUnit(ctx: Ctx, id: string, version: number, input: UpdateUnitInput): Promise<Unit> {
  const unit = requireFound(await getUnit(ctx, id));
  ctx.audit = { entityType: 'Unit', entityId: unit.id, unitId: unit.id, before: snapshot(unit) };
  checkVersion(unit, version);
  const v = new Validation();
  if (input.code !== undefined) {
    checkText(v, 'code', input.code, 64);
    if (input.code && !CODE_RE.test(clean(input.code)))
      v.add('code', 'Mã chỉ gồm chữ, số, dấu chấm, gạch', 'Code may hold letters, digits, dots and dashes only');
  }
  if (input.name !== undefined) checkText(v, 'name', input.name, 300);
  const validFrom = input.validFrom !== undefined ? input.validFrom : unit.validFrom;
  const validTo = input.validTo !== undefined ? input.validTo : unit.validTo;
  checkDateOrder(v, validFrom, validTo);
  let parent: Unit | null = unit.parent ? await ctx.em.findOneOrFail(Unit, { id: unit.parent.id }) : null;
  const parentChanges = input.parentId !== undefined && (input.parentId ?? null) !== (unit.parent?.id ?? null);
  if (parentChanges) {
    parent = input.parentId ? await loadUnit(ctx, input.parentId, 'parentId') : null;
    if (parent && parent.path.startsWith(unit.path)) {
      v.add('parentId', 'Một đơn vị không thể là cấp trên của chính nó', 'A unit cannot become its own ancestor');
    }
  }
  checkInsideParent(v, parent, validFrom, validTo);
  const outside = await sql<{ code: string }>(
    ctx.em,
    `SELECT code FROM unit WHERE parent_id = ? AND archived_at IS NULL AND (
       (?::date IS NOT NULL AND (valid_from IS NULL OR valid_from < ?::date)) OR
       (?::date IS NOT NULL AND (valid_to IS NULL OR valid_to > ?::date))) LIMIT 5`,
    [unit.id, validFrom ?? null, validFrom ?? null, validTo ?? null, validTo ?? null],
  );
  if (outside.length) {
    const codes = outside.map((o) => o.code).join(', ');
    v.add('validTo', `Hiệu lực phải bao trùm các đơn vị cấp dưới (${codes})`, `Validity must cover the child units (${codes})`);
  }
  v.throwIfAny();
  if (input.code !== undefined && clean(input.code) !== unit.code) {
    await ensureCodeFree(ctx, clean(input.code), unit.id);
    unit.code = clean(input.code);
  }
  if (input.name !== undefined) unit.name = clean(input.name);
  if (input.kind !== undefined && input.kind !== null) unit.kind = input.kind;
  unit.validFrom = validFrom ?? null;
  unit.validTo = validTo ?? null;
  if (input.successorIds) await setSuccessors(ctx, unit, input.successorIds);
  if (parentChanges) {
    const oldPath = unit.path;
    const newPath = `${parent ? parent.path : '/'}${unit.id}/`;
    const delta = (parent ? parent.level + 1 : 0) - unit.level;
    unit.parent = parent ? ref(parent) : null;
    unit.path = newPath;
    unit.level += delta;
    // Descendants move with it: one statement rewrites their paths and levels.
    await sql(ctx.em, `UPDATE unit SET path = ? || substr(path, ?), level = level + ? WHERE path LIKE ? AND id <> ?`, [
      newPath,
      oldPath.length + 1,
      delta,
      `${oldPath}%`,
      unit.id,
    ]);
  }
  stamp(ctx, unit);
  return unit;
}

export async function archiveUnit(ctx: Ctx, id: string, version: number): Promise<Unit> {
  const unit = requireFound(await getUnit(ctx, id));
  ctx.audit = { entityType: 'Unit', entityId: unit.id, unitId: unit.id, before: snapshot(unit) };
  checkVersion(unit, version);
  const live = await sqlOne(ctx.em, 'SELECT 1 FROM unit WHERE parent_id = ? AND archived_at IS NULL LIMIT 1', [unit.id]);
  if (live) throw badInput([{ field: 'id', vi: 'Đơn vị còn đơn vị cấp dưới đang hoạt động', en: 'The unit still has live child units' }]);
  unit.archivedAt = new Date();
  stamp(ctx, unit);
  return unit;
}

export async function setDistrictAgency(ctx: Ctx, unitId: string, role: AgencyRole, agencyId: string): Promise<Unit> {
  const district = requireFound(await getUnit(ctx, unitId));
  const agency = await loadUnit(ctx, agencyId, 'agencyId');
  const v = new Validation();
  v.check(agency.kind === UnitKind.AGENCY, 'agencyId', 'Phải là một cơ quan', 'Must be an agency');
  v.check(
    agency.path.startsWith(district.path) && agency.id !== district.id,
    'agencyId',
    'Cơ quan phải thuộc đơn vị này',
    'The agency must belong to this unit',
  );
  v.throwIfAny();
  const existing = await ctx.em.findOne(DistrictAgency, { unit: district.id, role });
  ctx.audit = {
    entityType: 'DistrictAgency',
    entityId: existing?.id ?? null,
    unitId: district.id,
    before: snapshot(existing),
    after: { unitId, role, agencyId },
  };
  if (existing) {
    existing.agency = ref(agency);
    stamp(ctx, existing);
  } else {
    const da = ctx.em.create(DistrictAgency, { unit: ref(district), role, agency: ref(agency) });
    stamp(ctx, da, true);
  }
  return district;
}
