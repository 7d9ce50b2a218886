import { describe, expect, it } from 'vitest';
import { codeOf, useTestApp } from '../support/app';

const t = useTestApp();

const UNIT_FIELDS = 'id code name kind level version validFrom validTo archived parent { code }';

describe('units', () => {
  it('lists the 13 commune-level units under Tam Đường in one query', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const r = await t.as(
      'VIEWER',
      `query($d: ID!) { units(filter: { underUnit: $d, kind: { eq: COMMUNE } }, limit: 100) { totalCount nodes { name level parent { name } } } }`,
      { d: district },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.units.totalCount).toBe(13);
    expect(r.data.units.nodes.every((n: any) => n.level === 2 && n.parent.name === 'Huyện Tam Đường')).toBe(true);
    expect(r.data.units.nodes.map((n: any) => n.name)).toContain('Thị trấn Tam Đường');
  });

  it('searches ignoring case and Vietnamese diacritics', async () => {
    for (const q of ['tam duong', 'TAM ĐƯỜNG', 'Tam Duong', 'tam đường']) {
      const r = await t.as(
        'VIEWER',
        `query($q: String!) { units(filter: { name: { contains: $q }, kind: { eq: DISTRICT } }) { nodes { name } } }`,
        { q },
      );
      expect(r.data.units.nodes.map((n: any) => n.name)).toEqual(['Huyện Tam Đường']);
    }
    const r = await t.as('VIEWER', `{ units(filter: { name: { startsWith: "xa ban" } }) { totalCount } }`);
    expect(r.data.units.totalCount).toBe(4); // Bản Bo, Bản Giang, Bản Hon before the reform, and the new Bản Bo
  });

  it('sorts names in Vietnamese alphabetical order', async () => {
    const d = await t.unitId('LAICHAU.TAMDUONG');
    const r = await t.as(
      'VIEWER',
      `query($d: ID!) { units(filter: { parentId: { eq: $d }, kind: { eq: COMMUNE } }, orderBy: [{ field: NAME, direction: ASC }], limit: 20) { nodes { name } } }`,
      { d },
    );
    const names = r.data.units.nodes.map((n: any) => n.name);
    expect(names.slice(0, 1)).toEqual(['Thị trấn Tam Đường']);
    const communes = names.slice(1);
    expect(communes).toEqual([
      'Xã Bản Bo',
      'Xã Bản Giang',
      'Xã Bản Hon',
      'Xã Bình Lư',
      'Xã Giang Ma',
      'Xã Hồ Thầu',
      'Xã Khun Há',
      'Xã Nà Tăm',
      'Xã Nùng Nàng',
      'Xã Sơn Bình',
      'Xã Tả Lèng',
      'Xã Thèn Sin',
    ]);
  });

  it('filters by validity date and knows successors across the 2025 reform', async () => {
    const before = await t.as('VIEWER', `{ units(filter: { validOn: "2025-06-30", kind: { eq: COMMUNE } }, limit: 100) { totalCount } }`);
    const after = await t.as(
      'VIEWER',
      `{ units(filter: { validOn: "2025-07-01", kind: { eq: COMMUNE } }, limit: 100) { totalCount nodes { name parent { name } } } }`,
    );
    expect(before.data.units.totalCount).toBe(13);
    expect(after.data.units.totalCount).toBe(4);
    expect(after.data.units.nodes.every((n: any) => n.parent.name === 'Tỉnh Lai Châu')).toBe(true);
    const old = await t.as('VIEWER', `{ unitByCode(code: "TAMDUONG.BINHLU") { successors { code validFrom } } }`);
    expect(old.data.unitByCode.successors).toEqual([{ code: 'LAICHAU.BINHLU', validFrom: '2025-07-01' }]);
  });

  it('pages with offset and with a keyset cursor that visits every row once while rows are inserted', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let inserted = false;
    for (;;) {
      const r: any = await t.as(
        'ADMIN',
        `query($a: String) { units(limit: 7, after: $a, orderBy: [{ field: CODE, direction: ASC }]) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } }`,
        { a: after },
      );
      seen.push(...r.data.units.nodes.map((n: any) => n.code));
      if (!inserted) {
        inserted = true;
        const c = await t.as('ADMIN', `mutation { createUnit(input: { code: "AAA.FIRST", name: "Đơn vị đầu", kind: PROVINCE }) { id } }`);
        expect(c.errors).toBeUndefined();
      }
      if (!r.data.units.pageInfo.hasNextPage) break;
      after = r.data.units.pageInfo.endCursor;
    }
    const total = (await t.db<{ n: string }>('SELECT count(*) n FROM unit WHERE code <> $1', ['AAA.FIRST']))[0].n;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((c) => c !== 'AAA.FIRST').length).toBe(Number(total));
    const page2 = await t.as('ADMIN', `{ units(offset: 7, limit: 7, orderBy: [{ field: CODE, direction: ASC }]) { nodes { code } } }`);
    expect(page2.data.units.nodes).toHaveLength(7);
  });

  it('refuses a limit above 500', async () => {
    const r = await t.as('VIEWER', `{ units(limit: 501) { totalCount } }`);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions.fields[0].field).toBe('limit');
  });

  it('combines filters with and / or / not', async () => {
    const r = await t.as(
      'VIEWER',
      `{ units(filter: { or: [{ code: { eq: "TAMDUONG.BANBO" } }, { code: { eq: "TAMDUONG.NATAM" } }], not: { code: { eq: "TAMDUONG.NATAM" } } }) { nodes { code } } }`,
    );
    expect(r.data.units.nodes).toEqual([{ code: 'TAMDUONG.BANBO' }]);
  });

  it('creates, updates with optimistic locking, and archives a unit', async () => {
    const province = await t.unitId('LAICHAU');
    const c = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "LAICHAU.TEST", name: "  Xã Thử Nghiệm ", kind: COMMUNE, parentId: $p, validFrom: "2026-01-01" }) { ${UNIT_FIELDS} } }`,
      { p: province },
    );
    expect(c.errors).toBeUndefined();
    const u = c.data.createUnit;
    expect(u).toMatchObject({ name: 'Xã Thử Nghiệm', level: 1, version: 1, archived: false, parent: { code: 'LAICHAU' } });
    const up = await t.as('ADMIN', `mutation($id: ID!) { updateUnit(id: $id, version: 1, input: { name: "Xã Mới" }) { name version } }`, {
      id: u.id,
    });
    expect(up.data.updateUnit).toEqual({ name: 'Xã Mới', version: 2 });
    const stale = await t.as('ADMIN', `mutation($id: ID!) { updateUnit(id: $id, version: 1, input: { name: "Xã Cũ" }) { name } }`, {
      id: u.id,
    });
    expect(codeOf(stale)).toBe('CONFLICT');
    const still = await t.as('ADMIN', `query($id: ID!) { unit(id: $id) { name version } }`, { id: u.id });
    expect(still.data.unit).toEqual({ name: 'Xã Mới', version: 2 });
    const a = await t.as('ADMIN', `mutation($id: ID!) { archiveUnit(id: $id, version: 2) { archived } }`, { id: u.id });
    expect(a.data.archiveUnit.archived).toBe(true);
    const live = await t.as('ADMIN', `{ units(filter: { code: { eq: "LAICHAU.TEST" } }) { totalCount } }`);
    const archived = await t.as(
      'ADMIN',
      `{ units(filter: { code: { eq: "LAICHAU.TEST" }, archived: true }) { totalCount nodes { archived } } }`,
    );
    expect(live.data.units.totalCount).toBe(0);
    expect(archived.data.units).toEqual({ totalCount: 1, nodes: [{ archived: true }] });
  });

  it('refuses a duplicate code, a cycle, and a child outside its parent validity', async () => {
    const dup = await t.as('ADMIN', `mutation { createUnit(input: { code: "LAICHAU", name: "X", kind: PROVINCE }) { id } }`);
    expect(codeOf(dup)).toBe('CONFLICT');
    const province = await t.as('ADMIN', `{ unitByCode(code: "LAICHAU") { id version } }`);
    const commune = await t.unitId('TAMDUONG.BANBO');
    const cycle = await t.as(
      'ADMIN',
      `mutation($id: ID!, $v: Int!, $p: ID!) { updateUnit(id: $id, version: $v, input: { parentId: $p }) { id } }`,
      {
        id: province.data.unitByCode.id,
        v: province.data.unitByCode.version,
        p: commune,
      },
    );
    expect(codeOf(cycle)).toBe('BAD_USER_INPUT');
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const outside = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "TD.LATE", name: "Xã muộn", kind: COMMUNE, parentId: $p, validTo: "2026-01-01" }) { id } }`,
      { p: district },
    );
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    expect(outside.errors![0].extensions.fields.map((f: any) => f.field)).toContain('validTo');
    const self = await t.as('ADMIN', `{ unitByCode(code: "TAMDUONG.NATAM") { id version } }`);
    const selfParent = await t.as(
      'ADMIN',
      `mutation($id: ID!, $v: Int!) { updateUnit(id: $id, version: $v, input: { parentId: $id }) { id } }`,
      {
        id: self.data.unitByCode.id,
        v: self.data.unitByCode.version,
      },
    );
    expect(codeOf(selfParent)).toBe('BAD_USER_INPUT');
  });

  it('moves a subtree and keeps levels, ancestors and underUnit right', async () => {
    const province = await t.unitId('LAICHAU');
    const a = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "MV.A", name: "A", kind: DISTRICT, parentId: $p }) { id } }`,
      { p: province },
    );
    const b = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "MV.B", name: "B", kind: COMMUNE, parentId: $p }) { id } }`,
      { p: a.data.createUnit.id },
    );
    const root = await t.as('ADMIN', `mutation { createUnit(input: { code: "MV.ROOT", name: "Gốc", kind: PROVINCE }) { id } }`);
    const moved = await t.as(
      'ADMIN',
      `mutation($id: ID!, $p: ID!) { updateUnit(id: $id, version: 1, input: { parentId: $p }) { level } }`,
      {
        id: a.data.createUnit.id,
        p: root.data.createUnit.id,
      },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.updateUnit.level).toBe(1);
    const child = await t.as('ADMIN', `query($id: ID!) { unit(id: $id) { level ancestors { code } } }`, { id: b.data.createUnit.id });
    expect(child.data.unit).toEqual({ level: 2, ancestors: [{ code: 'MV.ROOT' }, { code: 'MV.A' }] });
    const under = await t.as('ADMIN', `query($r: ID!) { units(filter: { underUnit: $r }) { nodes { code } } }`, {
      r: root.data.createUnit.id,
    });
    expect(under.data.units.nodes.map((n: any) => n.code).sort()).toEqual(['MV.A', 'MV.B', 'MV.ROOT']);
  });

  it('answers in English with Accept-Language: en', async () => {
    const vi = await t.as('ADMIN', `{ units(limit: 1000) { totalCount } }`);
    const en = await t.gql(`{ units(limit: 1000) { totalCount } }`, {}, { token: await t.tokenOf('ADMIN'), lang: 'en' });
    expect(vi.errors![0].message).toMatch(/Giới hạn/);
    expect(en.errors![0].message).toMatch(/limit must be/);
    expect(en.errors![0].extensions.i18n).toBeUndefined();
  });

  it('keeps statement count independent of page size for nested children', async () => {
    const q = (limit: number) =>
      t.as(
        'ADMIN',
        `{ units(limit: ${limit}) { nodes { name parent { name } children(limit: 5) { totalCount nodes { name parent { code } } } } } }`,
      );
    await t.tokenOf('ADMIN');
    const small = await t.countStatements(() => q(2));
    const large = await t.countStatements(() => q(40));
    expect(large).toBe(small);
  });
});
