import { Role } from '../../auth/roles';
import { sql } from '../../db/sql';
import { UnitKind } from '../units/unit.entity';
import { enumLookup, flagDuplicates, type ImportHandler } from './import.core';
import { unitsByCode } from './import.lookup';
import { ImportAction } from './import.types';

const CODE_RE = /^[\p{L}\p{N}._-]{1,64}$/u;
const KINDS = enumLookup<UnitKind>({
  PROVINCE: ['Tỉnh', 'Thành phố trực thuộc trung ương'],
  DISTRICT: ['Huyện', 'Quận', 'Thị xã', 'Cấp huyện'],
  COMMUNE: ['Xã', 'Phường', 'Thị trấn', 'Cấp xã'],
  AGENCY: ['Cơ quan'],
});

interface UnitItem {
  row: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/**
 * UNITS (ADMIN): upsert by code. New units may hang under units created earlier in the same file;
 * moving an existing unit to another parent is left to updateUnit (it rewrites the subtree).
 */
export const unitsImport: ImportHandler = {
  entityType: 'Unit',
  roles: [Role.ADMIN],
  columns: [
    { key: 'code', labels: ['Mã đơn vị', 'Mã'], required: true },
    { key: 'name', labels: ['Tên đơn vị', 'Tên'], required: true },
    { key: 'kind', labels: ['Loại', 'Cấp'], required: true },
    { key: 'parentCode', labels: ['Mã đơn vị cấp trên', 'Cấp trên'] },
    { key: 'validFrom', labels: ['Hiệu lực từ', 'Từ ngày'] },
    { key: 'validTo', labels: ['Hiệu lực đến', 'Đến ngày'] },
    { key: 'level', labels: ['Cấp số'], ignored: true },
    { key: 'id', labels: ['ID'], ignored: true },
  ],
  async run(run, rows) {
    const parsed: UnitItem[] = [];
    for (const [n, r] of rows.entries()) {
      run.tick('parse', n, rows.length);
      const code = r.text('code', true, 64);
      const name = r.text('name', true, 300);
      const kind = r.oneOf('kind', KINDS);
      const parentCode = r.text('parentCode', false, 64);
      const validFrom = r.date('validFrom', false);
      const validTo = r.date('validTo', false);
      if (code && !CODE_RE.test(code))
        run.error(r.row, 'code', code, 'Mã chỉ gồm chữ, số, dấu chấm, gạch', 'Code may hold letters, digits, dots and dashes only');
      if (validFrom && validTo && validFrom > validTo)
        run.error(
          r.row,
          'validTo',
          validTo,
          'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu',
          'The end date must not be before the start date',
        );
      if (parentCode && parentCode === code)
        run.error(r.row, 'parentCode', parentCode, 'Đơn vị không thể là cấp trên của chính nó', 'A unit cannot be its own parent');
      if (code && name && kind && !run.isBad(r.row)) parsed.push({ row: r.row, code, name, kind, parentCode, validFrom, validTo });
    }
    const items = flagDuplicates(
      run,
      parsed,
      (i) => i.row,
      (i) => i.code,
      'code',
      (i) => i.code,
    );
    const known = await unitsByCode(run, [...items.map((i) => i.code), ...items.map((i) => i.parentCode).filter((c): c is string => !!c)]);
    const existing = new Map(
      (
        await sql<{
          code: string;
          id: string;
          name: string;
          kind: string;
          parent_code: string | null;
          valid_from: string | null;
          valid_to: string | null;
        }>(
          run.em,
          `SELECT u.code, u.id::text, u.name, u.kind::text, p.code AS parent_code, to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to
           FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.code = ANY(?)`,
          [items.map((i) => i.code)],
        )
      ).map((r) => [r.code, r]),
    );
    const inFile = new Set<string>();
    const plan: { item: UnitItem; action: ImportAction; id?: string }[] = [];
    for (const it of items) {
      const e = existing.get(it.code);
      const parentKnown = !it.parentCode || known.has(it.parentCode) || inFile.has(it.parentCode);
      inFile.add(it.code);
      if (!parentKnown) {
        run.error(
          it.row,
          'parentCode',
          it.parentCode,
          'Mã đơn vị cấp trên không tồn tại (hoặc nằm ở dòng sau)',
          'Unknown parent code (or it comes on a later row)',
        );
        continue;
      }
      if (!e) {
        plan.push({ item: it, action: ImportAction.CREATE });
        continue;
      }
      if ((e.parent_code ?? null) !== (it.parentCode ?? null)) {
        run.error(
          it.row,
          'parentCode',
          it.parentCode,
          'Đổi đơn vị cấp trên bằng chức năng sửa đơn vị, không qua nhập tệp',
          'Move a unit with updateUnit, not by import',
        );
        continue;
      }
      const same = e.name === it.name && e.kind === it.kind && e.valid_from === it.validFrom && e.valid_to === it.validTo;
      plan.push({ item: it, action: same ? ImportAction.UNCHANGED : ImportAction.UPDATE, id: e.id });
    }
    for (const p of plan) run.act(p.item.row, p.action);
    if (!run.writable) return;
    const who = run.userId;
    for (const p of plan) {
      const it = p.item;
      if (p.action === ImportAction.CREATE) {
        await sql(
          run.em,
          `WITH nid AS (SELECT nextval(pg_get_serial_sequence('unit', 'id')) AS id),
             par AS (SELECT (SELECT id FROM unit WHERE code = ?) AS id, (SELECT path FROM unit WHERE code = ?) AS path, (SELECT level FROM unit WHERE code = ?) AS level)
           INSERT INTO unit (id, code, name, kind, parent_id, path, level, valid_from, valid_to, created_by, updated_by)
           SELECT nid.id, ?, ?, ?::unit_kind, par.id, COALESCE(par.path, '/') || nid.id || '/', COALESCE(par.level + 1, 0), ?::date, ?::date, ?::bigint, ?::bigint FROM nid, par`,
          [it.parentCode, it.parentCode, it.parentCode, it.code, it.name, it.kind, it.validFrom, it.validTo, who, who],
        );
      } else if (p.action === ImportAction.UPDATE) {
        await sql(
          run.em,
          `UPDATE unit SET name = ?, kind = ?::unit_kind, valid_from = ?::date, valid_to = ?::date, version = version + 1, updated_at = now(), updated_by = ?::bigint WHERE id = ?`,
          [it.name, it.kind, it.validFrom, it.validTo, who, p.id],
        );
      }
    }
  },
};
