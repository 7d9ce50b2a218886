import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../../db/sql';

const idOf = async (em: EntityManager, table: 'unit' | 'program_component', code: string) =>
  (await sqlOne<{ id: string }>(em, `SELECT id::text FROM ${table} WHERE code = ?`, [code]))!.id;

/**
 * Demo monitoring for Tam Đường in 2024: the district plan, three missions that do not overlap
 * (one finished visiting, with a finding and a recommendation being followed up, one planned, one ad hoc).
 */
export async function seedMonitoringDemo(em: EntityManager): Promise<void> {
  const district = await idOf(em, 'unit', 'LAICHAU.TAMDUONG');
  const labour = await idOf(em, 'unit', 'TAMDUONG.PLDTBXH');
  const agriculture = await idOf(em, 'unit', 'TAMDUONG.PNNPTNT');
  const health = await idOf(em, 'unit', 'TAMDUONG.TTYT');
  const banBo = await idOf(em, 'unit', 'TAMDUONG.BANBO');
  const binhLu = await idOf(em, 'unit', 'TAMDUONG.BINHLU');
  const taLeng = await idOf(em, 'unit', 'TAMDUONG.TALENG');
  const khunHa = await idOf(em, 'unit', 'TAMDUONG.KHUNHA');
  const program = (await sqlOne<{ id: string }>(em, "SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'"))!.id;
  const da3tda1 = await idOf(em, 'program_component', 'DA3.TDA1');
  const da3tda2 = await idOf(em, 'program_component', 'DA3.TDA2');
  const da4 = await idOf(em, 'program_component', 'DA4');

  const [{ id: plan }] = await sql<{ id: string }>(
    em,
    'INSERT INTO monitoring_plan (unit_id, year, title, document_ref) VALUES (?, 2024, ?, ?) RETURNING id::text',
    [district, 'Kế hoạch giám sát, đánh giá Chương trình MTQG giảm nghèo bền vững năm 2024', 'KH-UBND huyện Tam Đường năm 2024 (minh họa)'],
  );

  const missions: [string | null, string, string, string, string, string, string[], string[], [string, string, string, string][]][] = [
    [
      plan,
      'Giám sát hỗ trợ phát triển sản xuất tại xã Bản Bo, Bình Lư',
      agriculture,
      '2024-05-20',
      '2024-05-22',
      'IN_PROGRESS',
      [banBo, binhLu],
      [da3tda1],
      [
        ['Lò Văn Minh', 'Trưởng phòng', agriculture, 'HEAD'],
        ['Nguyễn Thị Lan', 'Chuyên viên', labour, 'MEMBER'],
        ['Tẩn Văn Chu', 'Chuyên viên', agriculture, 'SECRETARY'],
      ],
    ],
    [
      plan,
      'Giám sát cải thiện dinh dưỡng tại xã Tả Lèng, Khun Há',
      health,
      '2024-09-09',
      '2024-09-11',
      'PLANNED',
      [taLeng, khunHa],
      [da3tda2],
      [
        ['Hoàng Thị Mai', 'Phó Giám đốc', health, 'HEAD'],
        ['Vàng A Lử', 'Cán bộ', labour, 'MEMBER'],
      ],
    ],
    [
      null,
      'Giám sát đột xuất hỗ trợ việc làm bền vững tại xã Bình Lư',
      labour,
      '2024-10-14',
      '2024-10-15',
      'PLANNED',
      [binhLu],
      [da4],
      [['Trần Văn Hùng', 'Trưởng phòng', labour, 'HEAD']],
    ],
  ];
  const ids: string[] = [];
  for (const [planId, title, lead, start, end, status, targets, components, members] of missions) {
    const [{ id }] = await sql<{ id: string }>(
      em,
      `INSERT INTO mission (program_id, plan_id, title, lead_unit_id, decision_ref, start_date, end_date, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id::text`,
      [program, planId, title, lead, 'Quyết định thành lập đoàn giám sát (minh họa)', start, end, status],
    );
    ids.push(id);
    for (const u of targets) await sql(em, 'INSERT INTO mission_target_unit (mission_id, unit_id) VALUES (?, ?)', [id, u]);
    for (const c of components) await sql(em, 'INSERT INTO mission_component (mission_id, component_id) VALUES (?, ?)', [id, c]);
    let order = 0;
    for (const [name, position, org, role] of members) {
      await sql(
        em,
        'INSERT INTO mission_member (mission_id, name, position, organization_id, role, sort_order) VALUES (?, ?, ?, ?, ?, ?)',
        [id, name, position, org, role, order++],
      );
    }
  }
  const [{ id: finding }] = await sql<{ id: string }>(
    em,
    "INSERT INTO finding (mission_id, unit_id, component_id, kind, description) VALUES (?, ?, ?, 'SHORTCOMING', ?) RETURNING id::text",
    [ids[0], banBo, da3tda1, 'Một số hộ nhận giống cây trồng chưa được hướng dẫn kỹ thuật'],
  );
  await sql(em, "INSERT INTO finding (mission_id, unit_id, component_id, kind, description) VALUES (?, ?, ?, 'ACHIEVEMENT', ?)", [
    ids[0],
    binhLu,
    da3tda1,
    'Mô hình chăn nuôi gà thả vườn được người dân hưởng ứng',
  ]);
  await sql(
    em,
    "INSERT INTO recommendation (mission_id, finding_id, addressee_id, content, due_date, status) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS')",
    [ids[0], finding, banBo, 'Tổ chức tập huấn kỹ thuật cho các hộ nhận hỗ trợ giống', '2024-07-31'],
  );
}
