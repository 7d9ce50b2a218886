import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql';
import { DISTRICT_CODE } from '../../db/seed/reference-data';

/** Components funded per commune, and those run by district agencies (allocated to the district itself). */
const COMMUNE_COMPONENTS = ['DA2', 'DA3.TDA1', 'DA3.TDA2'];
const DISTRICT_COMPONENTS = ['DA4.TDA1', 'DA6.TDA1', 'DA6.TDA2', 'DA7.TDA2'];
const SOURCES = ['CENTRAL_RECURRENT', 'LOCAL_BUDGET'];

/**
 * Demo ledger for Tam Đường 2022–2025, set-based and deterministic (amounts from hashes): plans of
 * 150–1,050 million VND per commune line (30–300 million for local counterpart funds), 90–100 % allocated,
 * a mid-year revision on about a quarter of the lines, disbursements in June and November, a
 * correction on some lines and carry-over into March of the next year for 2022–2023.
 */
export async function seedFundingDemo(em: EntityManager): Promise<void> {
  await sql(
    em,
    `INSERT INTO funding_allocation (component_id, unit_id, year, source, planned_amount, allocated_amount, disbursed_amount, decision_ref)
     SELECT c.id, u.id, y, s::funding_source, p.planned, round(p.planned * (90 + abs(hashtext(k.k || 'a')) % 11) / 100, -6), 0,
            'Quyết định giao kế hoạch vốn năm ' || y || ' của UBND huyện Tam Đường'
     FROM program_component c
     JOIN unit u ON (c.code = ANY(?) AND u.kind = 'COMMUNE' AND u.parent_id = (SELECT id FROM unit WHERE code = ?))
                 OR (c.code = ANY(?) AND u.code = ?)
     CROSS JOIN generate_series(2022, 2025) y
     CROSS JOIN unnest(?::text[]) s
     CROSS JOIN LATERAL (SELECT c.code || '|' || u.code || '|' || y || '|' || s AS k) k
     CROSS JOIN LATERAL (SELECT (CASE WHEN s = 'LOCAL_BUDGET' THEN 30 + abs(hashtext(k.k)) % 271 ELSE 150 + abs(hashtext(k.k)) % 901 END)::numeric * 1000000 AS planned) p`,
    [COMMUNE_COMPONENTS, DISTRICT_CODE, DISTRICT_COMPONENTS, DISTRICT_CODE, SOURCES],
  );
  // The original figures first, then a mid-year revision (+5 % to +15 % of the allocation) on some lines.
  await sql(
    em,
    `INSERT INTO funding_revision (allocation_id, planned_amount, allocated_amount, decision_ref, reason, created_at)
     SELECT id, planned_amount, allocated_amount, decision_ref, NULL, make_timestamptz(year, 1, 15, 9, 0, 0, 'Asia/Ho_Chi_Minh')
     FROM funding_allocation`,
  );
  await sql(
    em,
    `WITH changed AS (
       UPDATE funding_allocation a
       SET allocated_amount = round(a.allocated_amount * (105 + abs(hashtext(a.id::text || 'r')) % 11) / 100, -6),
           planned_amount = greatest(a.planned_amount, round(a.allocated_amount * (105 + abs(hashtext(a.id::text || 'r')) % 11) / 100, -6)),
           decision_ref = 'Quyết định điều chỉnh kế hoạch vốn năm ' || a.year, version = a.version + 1
       WHERE abs(hashtext(a.id::text || 'rev')) % 4 = 0
       RETURNING a.id, a.year, a.planned_amount, a.allocated_amount, a.decision_ref)
     INSERT INTO funding_revision (allocation_id, planned_amount, allocated_amount, decision_ref, reason, created_at)
     SELECT id, planned_amount, allocated_amount, decision_ref, 'Điều chỉnh, bổ sung kế hoạch vốn giữa năm',
            make_timestamptz(year, 7, 20, 9, 0, 0, 'Asia/Ho_Chi_Minh')
     FROM changed`,
  );
  // 2025 stops at the first half (the district ends on 30/6/2025).
  await sql(
    em,
    `INSERT INTO disbursement (allocation_id, unit_id, date, amount, reference)
     SELECT a.id, a.unit_id, d.date, d.amount, d.reference
     FROM funding_allocation a
     CROSS JOIN LATERAL (VALUES
       (make_date(a.year, 6, 28), round(a.allocated_amount * (30 + abs(hashtext(a.id::text || 'd1')) % 16) / 100, -3), 'Giải ngân đợt 1 năm ' || a.year),
       (CASE WHEN a.year < 2025 THEN make_date(a.year, 11, 25) END, round(a.allocated_amount * (25 + abs(hashtext(a.id::text || 'd2')) % 16) / 100, -3), 'Giải ngân đợt 2 năm ' || a.year),
       (CASE WHEN a.year < 2025 AND abs(hashtext(a.id::text || 'c')) % 10 = 0 THEN make_date(a.year, 12, 12) END, -5000000::numeric, 'Thu hồi, điều chỉnh giảm số đã giải ngân'),
       (CASE WHEN a.year < 2024 THEN make_date(a.year + 1, 3, 15) END, round(a.allocated_amount * (5 + abs(hashtext(a.id::text || 'd3')) % 10) / 100, -3), 'Giải ngân vốn chuyển nguồn năm ' || a.year)
     ) AS d(date, amount, reference)
     WHERE d.date IS NOT NULL`,
  );
  await sql(
    em,
    `UPDATE funding_allocation a SET disbursed_amount = s.total
     FROM (SELECT allocation_id, sum(amount) AS total FROM disbursement GROUP BY allocation_id) s
     WHERE s.allocation_id = a.id`,
  );
}
