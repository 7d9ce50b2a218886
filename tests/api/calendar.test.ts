import { describe, expect, it } from 'vitest';
import { codeOf, useTestApp } from '../support/app';
import { workingDaysAfter } from '../../packages/server/src/modules/calendar/calendar.service';

const t = useTestApp();

const WDA = `query($d: Date!, $n: Int!) { workingDaysAfter(date: $d, days: $n) }`;
const wda = async (d: string, n: number) => {
  const r = await t.as('VIEWER', WDA, { d, n });
  expect(r.errors).toBeUndefined();
  return r;
};

describe('calendar', () => {
  it('seeds the 2021–2026 public-sector calendar with sources', async () => {
    const total = await t.db<{ n: string }>('SELECT count(*) AS n FROM calendar_day');
    expect(Number(total[0].n)).toBe(90);
    const r = await t.as('COMMUNE_OFFICER', `{ calendarDays(year: 2024) { date kind name source } }`);
    expect(r.errors).toBeUndefined();
    // 2024: 1/1, five Tết days, two days off after Tết, 18/4, 29/4 (swap), 30/4, 1/5, 4/5 (make-up), 2/9, 3/9 = 15 rows.
    expect(r.data.calendarDays).toHaveLength(15);
    expect(r.data.calendarDays[0]).toMatchObject({ date: '2024-01-01', kind: 'HOLIDAY', name: 'Tết Dương lịch' });
    expect(r.data.calendarDays.find((d: any) => d.date === '2024-05-04')).toMatchObject({ kind: 'WORKING_DAY', name: 'làm bù cho 29/4' });
    expect(r.data.calendarDays.find((d: any) => d.date === '2024-04-29')).toMatchObject({ kind: 'DAY_OFF' });
    expect(r.data.calendarDays.every((d: any) => d.source.length > 0)).toBe(true);
  });

  it('counts working days from the next day across a holiday, a weekday day off and a make-up Saturday', async () => {
    // From Fri 26/4/2024: Sat 27, Sun 28 weekend; Mon 29/4 DAY_OFF; Tue 30/4 and Wed 1/5 HOLIDAY;
    // Thu 2/5 = 1, Fri 3/5 = 2, Sat 4/5 WORKING_DAY = 3, Sun 5/5 weekend, Mon 6/5 = 4.
    const golden: [number, string][] = [
      [0, '2024-04-26'],
      [1, '2024-05-02'],
      [2, '2024-05-03'],
      [3, '2024-05-04'],
      [4, '2024-05-06'],
      [10, '2024-05-14'], // Tue 7 = 5, Wed 8 = 6, Thu 9 = 7, Fri 10 = 8, Mon 13 = 9, Tue 14 = 10
    ];
    for (const [n, expected] of golden) {
      const r = await wda('2024-04-26', n);
      expect([n, r.data.workingDaysAfter]).toEqual([n, expected]);
      expect(r.extensions?.warnings).toBeUndefined();
    }
    // An event on a holiday itself: counting starts the next day (Wed 1/5 → Thu 2/5 = 1).
    expect((await wda('2024-04-30', 1)).data.workingDaysAfter).toBe('2024-05-02');
  });

  it('counts across a year boundary', async () => {
    // Wed 31/12/2025; Thu 1/1/2026 HOLIDAY, Fri 2/1 DAY_OFF, weekend 3–4; Mon 5 = 1 … Fri 9 = 5; Sat 10/1 WORKING_DAY = 6; Mon 12 = 7.
    expect((await wda('2025-12-31', 1)).data.workingDaysAfter).toBe('2026-01-05');
    expect((await wda('2025-12-31', 5)).data.workingDaysAfter).toBe('2026-01-09');
    expect((await wda('2025-12-31', 6)).data.workingDaysAfter).toBe('2026-01-10');
    expect((await wda('2025-12-31', 7)).data.workingDaysAfter).toBe('2026-01-12');
    // 10 working days after Tue 30/12/2025: Wed 31 = 1, Mon 5/1 = 2 … Fri 9 = 6, Sat 10 = 7, Mon 12 = 8, Tue 13 = 9, Wed 14 = 10.
    expect((await wda('2025-12-30', 10)).data.workingDaysAfter).toBe('2026-01-14');
  });

  it('still answers past the last year with calendar data, with a warning in extensions', async () => {
    // Wed 30/12/2026: Thu 31 = 1; 2027 has no data: Fri 1/1 = 2, Mon 4 = 3, Tue 5 = 4, Wed 6 = 5 (weekends only).
    const r = await wda('2026-12-30', 5);
    expect(r.data.workingDaysAfter).toBe('2027-01-06');
    expect(r.extensions?.warnings).toHaveLength(1);
    expect(r.extensions!.warnings[0]).toContain('2027');
    const en = await t.gql(WDA, { d: '2026-12-30', n: 5 }, { token: await t.tokenOf('VIEWER'), lang: 'en' });
    expect(en.extensions!.warnings[0]).toBe('The working calendar is not maintained for 2027: only weekends were treated as days off');
    const inside = await wda('2026-12-30', 1);
    expect(inside.data.workingDaysAfter).toBe('2026-12-31');
    expect(inside.extensions?.warnings).toBeUndefined();
    // The exported service function used by other modules answers the same, with the warning.
    const direct = await workingDaysAfter(t.orm.em.fork() as never, '2026-12-30', 5);
    expect(direct.date).toBe('2027-01-06');
    expect(direct.warning).toContain('2027');
    expect(await workingDaysAfter(t.orm.em.fork() as never, '2024-04-26', 3)).toEqual({ date: '2024-05-04' });
  });

  it('rejects a negative count', async () => {
    const r = await t.as('VIEWER', WDA, { d: '2024-04-26', n: -1 });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('lets ADMIN set and remove days (audited), and refuses everyone else', async () => {
    const SET = `mutation($i: SetCalendarDayInput!) { setCalendarDay(input: $i) { date kind name source } }`;
    const input = { date: '2024-05-13', kind: 'DAY_OFF', name: 'Nghỉ thử nghiệm', source: 'Test' };
    for (const role of ['COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) {
      expect(codeOf(await t.as(role, SET, { i: input }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.as('COORDINATOR', `mutation { removeCalendarDay(date: "2024-05-04") }`))).toBe('FORBIDDEN');
    // A make-up working day must be a weekend day.
    expect(codeOf(await t.as('ADMIN', SET, { i: { ...input, kind: 'WORKING_DAY' } }))).toBe('BAD_USER_INPUT');

    const set = await t.as('ADMIN', SET, { i: input });
    expect(set.errors).toBeUndefined();
    expect(set.data.setCalendarDay).toEqual(input);
    // Mon 13/5 no longer counts: 10 working days after 26/4 move from Tue 14/5 to Wed 15/5.
    expect((await wda('2024-04-26', 10)).data.workingDaysAfter).toBe('2024-05-15');
    // Setting the same date again replaces it.
    const again = await t.as('ADMIN', SET, { i: { ...input, name: 'Nghỉ thử nghiệm (sửa)' } });
    expect(again.data.setCalendarDay.name).toBe('Nghỉ thử nghiệm (sửa)');
    expect((await t.db('SELECT 1 FROM calendar_day WHERE date = $1', ['2024-05-13'])).length).toBe(1);

    const removed = await t.as('ADMIN', `mutation { removeCalendarDay(date: "2024-05-13") }`);
    expect(removed.data.removeCalendarDay).toBe(true);
    expect((await wda('2024-04-26', 10)).data.workingDaysAfter).toBe('2024-05-14');
    expect(codeOf(await t.as('ADMIN', `mutation { removeCalendarDay(date: "2024-05-13") }`))).toBe('NOT_FOUND');

    const audit = await t.db<{ operation: string; outcome: string; before: any; after: any }>(
      `SELECT operation, outcome, before, after FROM audit_event WHERE entity_type = 'CalendarDay' OR operation IN ('setCalendarDay', 'removeCalendarDay') ORDER BY id`,
    );
    const ok = audit.filter((a) => a.outcome === 'SUCCESS');
    expect(ok.map((a) => a.operation)).toEqual(['setCalendarDay', 'setCalendarDay', 'removeCalendarDay']);
    expect(ok[0].after).toMatchObject({ date: '2024-05-13', kind: 'DAY_OFF' });
    expect(ok[2].before).toMatchObject({ date: '2024-05-13', name: 'Nghỉ thử nghiệm (sửa)' });
    expect(ok[2].after).toBeNull();
    expect(audit.filter((a) => a.outcome === 'FORBIDDEN').length).toBe(5);
  });
});
