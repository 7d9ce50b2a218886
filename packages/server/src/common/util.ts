import { Validation, notFound, conflict } from './errors';
import type { BaseEntity } from './base.entity';
import type { Ctx } from '../graphql/context';

/** Trims and NFC-normalizes text as it is stored. */
export const clean = (s: string) => s.normalize('NFC').trim();

/** Optimistic lock: the caller's version must be the stored one. */
export function checkVersion(entity: BaseEntity, version: number): void {
  if (entity.version !== version) {
    throw conflict(undefined, { currentVersion: entity.version });
  }
}

/** Who changed it, for every record. */
export function stamp(ctx: Ctx, entity: BaseEntity, created = false): void {
  const who = ctx.caller?.userId ?? null;
  if (created) entity.createdBy = who;
  entity.updatedBy = who;
}

export function requireFound<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw notFound();
  return value;
}

/** Date order check shared by every input with a from/to pair. */
export function checkDateOrder(v: Validation, from: string | null | undefined, to: string | null | undefined, field = 'validTo'): void {
  if (from && to && from > to)
    v.add(field, 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu', 'The end date must not be before the start date');
}

export function checkText(v: Validation, field: string, value: string | null | undefined, max = 500, required = true): void {
  if (value === undefined || value === null) {
    if (required) v.add(field, 'Bắt buộc nhập', 'Required');
    return;
  }
  const s = clean(value);
  if (required && s.length === 0) v.add(field, 'Không được để trống', 'Must not be empty');
  if (s.length > max) v.add(field, `Tối đa ${max} ký tự`, `At most ${max} characters`);
}
