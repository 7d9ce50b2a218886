import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql';
import { CALENDAR_2021_2026 } from '../../db/seed/data/calendar-2021-2026';

/** The public-sector calendar 2021–2026 as reference data (editable afterwards). */
export async function seedCalendar(em: EntityManager): Promise<void> {
  for (const [date, kind, name, source] of CALENDAR_2021_2026) {
    await sql(em, 'INSERT INTO calendar_day (date, kind, name, source) VALUES (?, ?, ?, ?) ON CONFLICT (date) DO NOTHING', [
      date,
      kind,
      name,
      source,
    ]);
  }
}
