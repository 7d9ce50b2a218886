import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/app';
import { browserSuiteTitle, hasChromium, useBrowser, useConsoleApp } from '../support/browser';
import { readXlsx } from '../support/files';

const title = browserSuiteTitle('admin console part 3 in Chromium', 'exports, indicator targets, deadline rules, mission transitions');

describe.skipIf(!hasChromium)(title, () => {
  const t = useConsoleApp();
  const b = useBrowser(t);
  const { shot, main, visibleOption, typeDate, pick, choose, confirmPopover, login } = b;

  /** The notification the console shows for a refusal or a success. */
  const notice = () => b.page.locator('.ant-notification-notice').last();

  it('exports the missions list to XLSX with the filters on screen', async () => {
    await login('td.coordinator');
    await b.page.goto(`${b.base}/missions`);
    await b.page.locator('.ant-table-row').first().waitFor();
    // Demo missions (monitoring.seed.ts): 1 is IN_PROGRESS; 2 (Tả Lèng, Khun Há) and 3 (Bình Lư) are PLANNED.
    await b.page.locator('main #status').click();
    await visibleOption('Kế hoạch').click();
    await expect.poll(() => b.page.locator('.ant-table-row').count()).toBe(2);
    await b.page.locator('[data-testid="export-missions"]').hover();
    const [download] = await Promise.all([
      b.page.waitForEvent('download'),
      b.page.locator('.ant-dropdown:visible .ant-dropdown-menu-item', { hasText: 'Excel (.xlsx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^doan-giam-sat-\d{8}\.xlsx$/);
    const rows = await readXlsx(fs.readFileSync((await download.path())!));
    expect(rows[0].slice(0, 5)).toEqual([
      'Tên đoàn giám sát',
      'Mã chương trình',
      'Mã đơn vị chủ trì',
      'Mã đơn vị được giám sát',
      'Mã dự án',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[7]])).toEqual([
      ['Giám sát cải thiện dinh dưỡng tại xã Tả Lèng, Khun Há', 'TAMDUONG.TTYT', 'TAMDUONG.KHUNHA, TAMDUONG.TALENG', 'PLANNED'],
      ['Giám sát đột xuất hỗ trợ việc làm bền vững tại xã Bình Lư', 'TAMDUONG.PLDTBXH', 'TAMDUONG.BINHLU', 'PLANNED'],
    ]);
    const audit = await t.db<{ details: any }>("SELECT details FROM audit_event WHERE operation = 'exportList' ORDER BY id DESC LIMIT 1");
    expect(audit[0].details).toMatchObject({ list: 'missions', format: 'XLSX', rows: 2 });
    await shot('p3-01-missions-export');
  });

  it('sets an indicator target per unit and year on the targets page', async () => {
    await login('td.coordinator');
    await b.page.goto(`${b.base}/indicator-targets`);
    await b.page.locator('[data-testid="target-form"]').waitFor();
    await pick('#target-indicator', 'MOHINH', 'DA2.MOHINH');
    await pick('#target-unit', 'TAMDUONG.BANBO');
    await b.page.locator('#target-year').fill('2025');
    await b.page.locator('#target-baseline').fill('2');
    await b.page.locator('#target-target').fill('6');
    await b.page.locator('[data-testid="target-save"]').click();
    const row = b.page.locator('[data-testid="targets"] .ant-table-row', { hasText: 'Xã Bản Bo' }).filter({ hasText: 'DA2.MOHINH' });
    await row.first().waitFor();
    expect((await row.first().innerText()).replace(/\s+/g, ' ')).toContain('2025 2 6');
    const saved = await t.db<{ baseline: string; target: string }>(
      `SELECT baseline::text, target::text FROM indicator_target it JOIN indicator i ON i.id = it.indicator_id
       JOIN unit u ON u.id = it.unit_id WHERE i.code = 'DA2.MOHINH' AND u.code = 'TAMDUONG.BANBO' AND it.year = 2025`,
    );
    expect(saved).toEqual([{ baseline: '2', target: '6' }]);
    await shot('p3-02-indicator-targets');
    // A commune officer reads the targets but has no form.
    await login('td.banbo');
    await b.page.goto(`${b.base}/indicator-targets`);
    await b.page.locator('[data-testid="targets"] .ant-table-row').first().waitFor();
    expect(await b.page.locator('[data-testid="target-form"]').count()).toBe(0);
  });

  it('adds, shows and archives a deadline rule on the program page (ADMIN)', async () => {
    const [{ id: programId }] = await t.db<{ id: string }>("SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'");
    await login('admin', ADMIN_PASSWORD);
    await b.page.goto(`${b.base}/programs/show/${programId}`);
    const card = b.page.locator('[data-testid="deadline-rules"]');
    await card.locator('.ant-table-row').first().waitFor();
    const before = await card.locator('.ant-table-row').count();
    await b.page.locator('[data-testid="deadline-rule-add"]').click();
    await choose('#rule-reportType', 'BC đánh giá giữa kỳ');
    await choose('#rule-level', 'Huyện');
    await choose('#rule-kind', 'Ngày cố định');
    await typeDate('#rule-date', '30/06/2023');
    await b.page.locator('#rule-before').check();
    await b.page.locator('.ant-modal:visible').getByRole('button', { name: 'Lưu' }).click();
    // The seeded rule of that type applies to every level; ours is the district's.
    const added = card.locator('.ant-table-row', { hasText: 'BC đánh giá giữa kỳ' }).filter({ hasText: 'Huyện' });
    await added.waitFor();
    expect((await added.innerText()).replace(/\s+/g, ' ')).toContain('Huyện Ngày cố định trước 30/06/2023');
    expect(await card.locator('.ant-table-row').count()).toBe(before + 1);
    // The seeded one is unchanged.
    expect((await card.locator('.ant-table-row', { hasText: 'BC đánh giá giữa kỳ' }).first().innerText()).replace(/\s+/g, ' ')).toContain(
      'Mọi cấp Ngày cố định trước 15/08/2023',
    );
    const rule = await t.db<{ kind: string; level: string; date: string; before: boolean }>(
      "SELECT kind::text, level::text, to_char(date, 'YYYY-MM-DD') AS date, before FROM deadline_rule WHERE report_type = 'EVALUATION_MIDTERM' AND level = 'DISTRICT' AND archived_at IS NULL",
    );
    expect(rule).toEqual([{ kind: 'FIXED_DATE', level: 'DISTRICT', date: '2023-06-30', before: true }]);
    await shot('p3-03-deadline-rules');

    // Edit: the 20th of July every year, by the day (not before).
    await added.getByRole('button', { name: 'Sửa' }).click();
    // A select holding a value hides its search input: click the select itself.
    await b.page.locator('.ant-modal:visible .ant-select:has(#rule-kind)').click();
    await visibleOption('Hằng năm (ngày/tháng)').click();
    await b.page.locator('#rule-day').fill('20');
    await b.page.locator('#rule-month').fill('7');
    await b.page.locator('#rule-before').uncheck();
    await b.page.locator('.ant-modal:visible').getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(async () => (await added.innerText()).replace(/\s+/g, ' ')).toContain('đến hết ngày 20/7 hằng năm');
    const edited = await t.db<{ kind: string; month: number; day: number; date: string | null; before: boolean }>(
      "SELECT kind::text, month, day, date::text, before FROM deadline_rule WHERE report_type = 'EVALUATION_MIDTERM' AND level = 'DISTRICT' AND archived_at IS NULL",
    );
    expect(edited).toEqual([{ kind: 'YEARLY', month: 7, day: 20, date: null, before: false }]);

    await added.getByRole('button', { name: 'Lưu trữ' }).click();
    await confirmPopover();
    await expect.poll(() => added.count()).toBe(0);
    expect(await card.locator('.ant-table-row').count()).toBe(before);
    const archived = await t.db<{ n: string }>(
      "SELECT count(*)::text AS n FROM deadline_rule WHERE report_type = 'EVALUATION_MIDTERM' AND level = 'DISTRICT' AND archived_at IS NOT NULL",
    );
    expect(archived[0].n).toBe('1');

    // The coordinator reads the rules but may not edit them.
    await login('td.coordinator');
    await b.page.goto(`${b.base}/programs/show/${programId}`);
    await card.locator('.ant-table-row').first().waitFor();
    expect(await b.page.locator('[data-testid="deadline-rule-add"]').count()).toBe(0);
  });

  it('completes a mission: a planned one is refused (INVALID_TRANSITION), a started one shows its report due date', async () => {
    const title = 'Giám sát đột xuất hỗ trợ việc làm bền vững tại xã Bình Lư';
    const [{ id }] = await t.db<{ id: string }>('SELECT id::text FROM mission WHERE title = $1', [title]);
    await login('td.coordinator');
    await b.page.goto(`${b.base}/missions/show/${id}`);
    await main().getByText('Kế hoạch', { exact: true }).first().waitFor();
    await b.page.locator('[data-testid="mission-complete"]').click();
    await confirmPopover();
    await expect.poll(() => notice().innerText()).toContain('Không thể chuyển đợt giám sát từ «Kế hoạch» sang «Đã hoàn thành».');
    await shot('p3-04-mission-refused');
    await b.page.locator('.ant-notification-notice-close').first().click();

    await b.page.locator('[data-testid="mission-start"]').click();
    await main().getByText('Đang giám sát', { exact: true }).first().waitFor();
    await b.page.locator('[data-testid="mission-complete"]').click();
    await confirmPopover();
    await main().getByText('Đã hoàn thành', { exact: true }).first().waitFor();
    // Ends Tue 15/10/2024; the MONITORING_MISSION rule: 10 working days after → 16, 17, 18, 21, 22, 23, 24, 25, 28, 29 October.
    await expect.poll(() => main().innerText()).toContain('29/10/2024');
    const obligation = await t.db<{ due: string; type: string }>(
      "SELECT to_char(due_date, 'YYYY-MM-DD') AS due, type::text FROM reporting_obligation WHERE mission_id = $1",
      [id],
    );
    expect(obligation).toEqual([{ due: '2024-10-29', type: 'MONITORING_MISSION' }]);
    expect(await b.page.locator('[data-testid="mission-start"]').count()).toBe(0);
    expect(await b.page.locator('[data-testid="mission-complete"]').count()).toBe(0);
    await shot('p3-05-mission-completed');
  });

  it('has no page errors', () => {
    expect(b.pageErrors).toEqual([]);
  });
});
