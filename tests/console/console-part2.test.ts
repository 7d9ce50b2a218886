import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, useTestApp } from '../support/app';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const CONSOLE_DIST = path.join(ROOT, 'packages/console/dist/index.html');
const SHOTS = path.join(ROOT, 'test-artifacts/console');

if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} is missing. Install it with \`apt-get install chromium\`.`);

const title = hasChromium
  ? 'admin console part 2 in Chromium: funding, missions, reports, indicators, analysts'
  : 'admin console part 2 in Chromium (SKIPPED: /usr/bin/chromium is missing; install it with `apt-get install chromium`)';

/** `1.234.567 ₫`, as the console writes VND. */
const vnd = (v: bigint | string) => `${String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

describe.skipIf(!hasChromium)(title, () => {
  beforeAll(() => {
    if (!fs.existsSync(CONSOLE_DIST)) execSync('pnpm --filter @ntp/console build', { cwd: ROOT, stdio: 'inherit' });
  }, 180_000);

  const t = useTestApp();
  let server: Server;
  let base = '';
  let profile = '';
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await new Promise<Server>((resolve, reject) => {
      const s = t.app.express.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fs.mkdirSync(SHOTS, { recursive: true });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1366, height: 820 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    context.setDefaultTimeout(20_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));

    // Obligations of 2024 for the whole district, as the standing agency would generate them.
    const program = await t.as('COORDINATOR', '{ programs { nodes { id } } }');
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const generated = await t.as(
      'COORDINATOR',
      'mutation($p: ID!, $u: ID) { generateObligations(programId: $p, year: 2024, underUnit: $u) { id } }',
      {
        p: program.data.programs.nodes[0].id,
        u: district,
      },
    );
    expect(generated.errors).toBeUndefined();
    expect(generated.data.generateObligations.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const main = () => page.locator('main');
  const visibleOption = (text: string) => page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
  const typeDate = async (selector: string, value: string) => {
    const input = page.locator(selector);
    await input.click();
    await input.fill(value);
    await input.press('Enter');
  };
  /** Types into an antd Select's search and picks the option containing `option`. */
  const pick = async (selector: string, search: string, option = search) => {
    await page.locator(selector).click();
    await page.locator(selector).fill(search);
    await visibleOption(option).click();
  };
  const confirmPopover = () => page.locator('.ant-popover:visible .ant-btn-primary').click();

  /** Signs in afresh (any earlier session in the browser is dropped), so each test can start on its own. */
  async function login(username: string, password = DEMO_PASSWORD) {
    await page.goto(`${base}/login`);
    await page.evaluate("localStorage.removeItem('ntp.token')");
    await page.goto(`${base}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('[data-testid="user-menu"]').isVisible()).toBe(true);
  }
  async function logout() {
    await page.locator('[data-testid="user-menu"]').click();
    await page.getByRole('menuitem', { name: /Đăng xuất|Log out/ }).click();
    await page.waitForURL(/\/login/);
  }

  const projectTotals = async () => {
    const res = await t.as<{ fundingSummary: { allocatedAmount: string; disbursedAmount: string }[] }>(
      'COORDINATOR',
      '{ fundingSummary(groupBy: [PROJECT]) { allocatedAmount disbursedAmount } }',
    );
    return {
      allocated: res.data.fundingSummary.reduce((s, r) => s + BigInt(r.allocatedAmount), 0n),
      disbursed: res.data.fundingSummary.reduce((s, r) => s + BigInt(r.disbursedAmount), 0n),
    };
  };
  const totalsText = () => page.locator('[data-testid="funding-totals"]').innerText();

  it('shows the dashboard to the standing agency', async () => {
    await login('td.coordinator');
    await page.locator('[data-testid="dashboard-funding"] svg.recharts-surface').first().waitFor();
    await page.locator('[data-testid="dashboard-overdue"]').waitFor();
    expect(await main().innerText()).toContain('Giao vốn và giải ngân theo dự án');
    await shot('p2-01-dashboard');
  });

  it('creates an allocation and a disbursement, and the summary changes', async () => {
    await login('td.coordinator');
    const before = await projectTotals();
    await page.goto(`${base}/funding/summary`);
    await page.locator('[data-testid="funding-pivot"] .ant-table-row').first().waitFor();
    await page.locator('svg.recharts-surface').first().waitFor();
    await expect.poll(totalsText).toContain(vnd(before.allocated));
    await shot('p2-02-funding-summary-before');

    await page.goto(`${base}/funding/allocations`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot('p2-03-allocations');
    // The list's export goes through the server's exportList, then GET /files/:id.
    await page.locator('[data-testid="export-fundingAllocations"]').hover();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    await page.goto(`${base}/funding/allocations/create`);
    await pick('#componentId', 'DA3.TDA1');
    await pick('#unitId', 'LAICHAU.TAMDUONG');
    await page.locator('#year').fill('2025');
    await page.locator('#source').click();
    await visibleOption('Vốn lồng ghép').click();
    await page.locator('#decisionRef').fill('QĐ 123/QĐ-UBND');
    await page.locator('#plannedAmount').fill('1500000000');
    // Allocated is required: the form says so on the field before anything is sent.
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('.ant-form-item:has(#allocatedAmount) .ant-form-item-explain-error').waitFor();
    await page.locator('#allocatedAmount').fill('1200000000');
    await shot('p2-04-allocation-create');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/funding\/allocations\/show\//);
    await expect.poll(() => page.locator('[data-testid="allocation-detail"]').innerText()).toContain('1.200.000.000 ₫');

    await typeDate('#date', '15/06/2025');
    await page.locator('#amount').fill('300000000');
    await page.locator('#reference').fill('UNC 45/2025');
    await page.getByRole('button', { name: 'Ghi giải ngân' }).click();
    await expect.poll(() => page.locator('[data-testid="disbursements"]').innerText()).toContain('300.000.000 ₫');
    await typeDate('#date', '20/07/2025');
    await page.locator('#amount').fill('-50000000');
    await page.getByRole('button', { name: 'Ghi giải ngân' }).click();
    // Running totals: 300 then 250 million.
    await expect.poll(() => page.locator('[data-testid="disbursements"]').innerText()).toContain('250.000.000 ₫');
    await expect.poll(() => page.locator('[data-testid="allocation-detail"]').innerText()).toContain('250.000.000 ₫');
    await shot('p2-05-allocation-show');

    await page.getByRole('button', { name: 'Điều chỉnh kế hoạch' }).click();
    await page.locator('.ant-modal #allocatedAmount').fill('1300000000');
    await page.locator('.ant-modal #decisionRef').fill('QĐ 200/QĐ-UBND');
    await page.locator('.ant-modal #reason').fill('Bổ sung vốn giữa năm');
    await page.locator('.ant-modal').getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => main().innerText()).toContain('Bổ sung vốn giữa năm');
    await shot('p2-06-allocation-revised');

    const after = await projectTotals();
    expect(after.allocated - before.allocated).toBe(1_300_000_000n);
    expect(after.disbursed - before.disbursed).toBe(250_000_000n);
    await page.goto(`${base}/funding/summary`);
    await expect.poll(totalsText).toContain(vnd(after.allocated));
    expect(await totalsText()).toContain(vnd(after.disbursed));
    expect(await page.locator('[data-testid="funding-pivot"]').innerText()).toContain('Vốn lồng ghép');
    await shot('p2-07-funding-summary-after');
  });

  it('plans two overlapping missions: the conflict is shown, then justified', async () => {
    await login('td.coordinator');
    const plan = async (title: string, from: string, to: string) => {
      await page.goto(`${base}/missions/create`);
      await page.locator('#title').fill(title);
      await pick('#leadUnitId', 'PLDTBXH', 'TAMDUONG.PLDTBXH');
      await typeDate('#startDate', from);
      await typeDate('#endDate', to);
      await pick('#targetUnitIds', 'TAMDUONG.BANBO');
      await page.keyboard.press('Escape');
      await page.getByPlaceholder('Họ và tên').first().fill('Trần Văn Hùng');
      await page.getByRole('button', { name: 'Thêm thành viên' }).click();
      await page.getByPlaceholder('Họ và tên').nth(1).fill('Lò Thị Hoa');
      await page.locator('[data-testid="mission-save"]').click();
    };
    await plan('Giám sát hỗ trợ sản xuất tại Bản Bo', '10/03/2025', '12/03/2025');
    await page.waitForURL(/\/missions\/show\//);
    await main().getByText('Trưởng đoàn').waitFor();
    await shot('p2-08-mission-show');

    await plan('Giám sát dinh dưỡng tại Bản Bo', '12/03/2025', '14/03/2025');
    const overlap = page.locator('[data-testid="mission-overlap"]');
    await overlap.waitFor();
    expect(await overlap.innerText()).toContain('Giám sát hỗ trợ sản xuất tại Bản Bo');
    expect(await overlap.innerText()).toContain('10/03/2025');
    expect(page.url()).toMatch(/\/missions\/create$/);
    await shot('p2-09-mission-overlap');

    await page.locator('[data-testid="overlap-justification"]').fill('Hai đoàn phối hợp theo chỉ đạo của Ban Chỉ đạo huyện');
    await overlap.getByRole('button', { name: 'Ghi lý do và lưu' }).click();
    await page.waitForURL(/\/missions\/show\//);
    await expect.poll(() => page.locator('[data-testid="justification"]').innerText()).toContain('Hai đoàn phối hợp');

    await page.goto(`${base}/missions`);
    await page.getByRole('tab', { name: 'Lịch theo đơn vị' }).click();
    await page.locator('[data-testid="timeline-year"] input, input[data-testid="timeline-year"]').first().fill('2025');
    await page.locator('[data-testid="mission-timeline"]').getByText('Giám sát dinh dưỡng tại Bản Bo').waitFor();
    await shot('p2-10-mission-timeline');

    await page.goto(`${base}/recommendations`);
    await page.getByText('Tổ chức tập huấn kỹ thuật').waitFor();
    await shot('p2-11-recommendations');
  });

  it('a commune submits a report; the standing agency returns it, then accepts it', async () => {
    await login('td.banbo');
    await page.goto(`${base}/reporting/deadlines`);
    const row = page.locator('[data-testid="my-deadlines"] .ant-table-row', { hasText: 'giám sát 6 tháng' }).first();
    await row.waitFor();
    await shot('p2-12-my-deadlines');
    await row.getByRole('button', { name: 'Soạn báo cáo' }).click();
    await page.waitForURL(/\/reports\/edit\//);
    await page.locator('[data-testid="report-create"]').click();
    await page.locator('[data-testid="section-0"]').waitFor();
    await page.locator('[data-testid="section-0"]').fill('UBND xã đã ban hành kế hoạch thực hiện và phân công cán bộ theo dõi.');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'bang-so-lieu.csv', mimeType: 'text/csv', buffer: Buffer.from('xa,so ho\nBan Bo,120\n') });
    await page.locator('[data-testid="attachments"]').getByText('bang-so-lieu.csv').waitFor();
    await page.locator('[data-testid="report-save"]').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('Đã lưu báo cáo');
    await shot('p2-13-report-editor');
    await page.locator('[data-testid="report-submit"]').click();
    await confirmPopover();
    await expect.poll(() => page.locator('[data-testid="report-status"]').innerText()).toBe('Đã gửi');
    const reportUrl = page.url();
    await logout();

    await login('td.coordinator');
    await page.goto(`${base}/reporting/review`);
    const queued = page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: 'Xã Bản Bo' }).first();
    await queued.click();
    const drawer = page.locator('[data-testid="review-drawer"]');
    await drawer.getByText('UBND xã đã ban hành kế hoạch').waitFor();
    await drawer.getByText('bang-so-lieu.csv').waitFor();
    await shot('p2-14-review-drawer');
    await page.locator('[data-testid="review-return"]').click();
    await page.locator('[data-testid="return-reason-input"]').fill('Bổ sung số liệu giải ngân 6 tháng');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Trả lại' }).click();
    await expect.poll(() => page.locator('.ant-drawer').innerText()).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await page.locator('.ant-drawer-close').click();
    await logout();

    await login('td.banbo');
    await page.goto(reportUrl);
    await expect.poll(() => page.locator('[data-testid="return-reason"]').innerText()).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await page.locator('[data-testid="section-2"]').fill('Đã giải ngân 250 triệu đồng trong 6 tháng đầu năm.');
    await page.locator('[data-testid="report-submit"]').click();
    await confirmPopover();
    await expect.poll(() => page.locator('[data-testid="report-status"]').innerText()).toBe('Đã gửi');
    await logout();

    await login('td.coordinator');
    await page.goto(`${base}/reporting/review`);
    await page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: 'Xã Bản Bo' }).first().click();
    await page.locator('[data-testid="review-drawer"]').getByText('Đã giải ngân 250 triệu đồng').waitFor();
    await page.locator('[data-testid="review-accept"]').click();
    await confirmPopover();
    const history = page.locator('.ant-drawer [data-testid="report-history"]');
    await expect.poll(() => history.innerText()).toContain('Đã chấp nhận');
    const text = await history.innerText();
    for (const status of ['Bản nháp', 'Đã gửi', 'Bị trả lại', 'Đã chấp nhận']) expect(text).toContain(status);
    expect(text).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await shot('p2-15-review-accepted');
    await page.locator('.ant-drawer-close').click();
    await page.getByRole('tab', { name: 'Tất cả đã nhận' }).click();
    await page.locator('[data-testid="review-queue"] .ant-table-row').first().waitFor();
    await shot('p2-16-review-all');
  });

  it('reads the completeness matrix: the late report is amber, missing ones red', async () => {
    await login('td.coordinator');
    await page.goto(`${base}/reporting/completeness`);
    await page.locator('#year').fill('2024');
    const matrix = page.locator('[data-testid="completeness-matrix"]');
    const banBo = matrix.locator('.ant-table-row', { hasText: 'Xã Bản Bo' }).first();
    await banBo.waitFor();
    await expect.poll(() => banBo.locator('td[data-verdict="late"]').count()).toBe(1);
    expect(await banBo.locator('td[data-verdict="late"]').innerText()).toContain('1/1');
    expect(await matrix.locator('td[data-verdict="missing"]').count()).toBeGreaterThan(3);
    expect(await matrix.locator('td[data-verdict="onTime"]').count()).toBe(0);
    await shot('p2-17-completeness');
  });

  it('adds an ad hoc obligation and cancels it; shows plans and recommendations by addressee', async () => {
    await login('td.coordinator');
    await page.goto(`${base}/reporting/obligations`);
    await page.locator('.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: 'Yêu cầu báo cáo đột xuất' }).click();
    await pick('.ant-modal #submitterId', 'TAMDUONG.BINHLU');
    await typeDate('.ant-modal #dueDate', '15/12/2026');
    await page.locator('.ant-modal #title').fill('Báo cáo đột xuất về hộ tái nghèo');
    await page.locator('.ant-modal').getByRole('button', { name: 'Lưu' }).click();
    const adHoc = page.locator('.ant-table-row', { hasText: 'Báo cáo đột xuất về hộ tái nghèo' });
    await adHoc.waitFor();
    expect(await adHoc.innerText()).toContain('15/12/2026');
    await shot('p2-26-obligations');
    await adHoc.getByRole('button', { name: 'Hủy nghĩa vụ' }).click();
    await page.locator('.ant-modal #reason').fill('Đã có số liệu từ báo cáo năm');
    await page.locator('.ant-modal:visible .ant-btn-dangerous').click();
    await expect.poll(() => adHoc.innerText()).toContain('Đã hủy');

    await page.goto(`${base}/missions`);
    await page.getByRole('tab', { name: 'Kế hoạch giám sát' }).click();
    await page.getByText('Kế hoạch giám sát, đánh giá Chương trình MTQG giảm nghèo bền vững năm 2024').waitFor();
    await shot('p2-27-monitoring-plans');

    await page.goto(`${base}/recommendations`);
    await page.getByRole('tab', { name: 'Theo đơn vị tiếp nhận' }).click();
    await page.locator('.ant-table-row', { hasText: 'Xã Bản Bo' }).waitFor();
    await shot('p2-28-recommendations-by-addressee');
  });

  it('shows the calendar, the indicator catalog, progress and values entry', async () => {
    await login('td.coordinator');
    await page.goto(`${base}/calendar`);
    await page.locator('.ant-table-row').first().waitFor();
    expect(await page.locator('[data-testid="calendar-form"]').count()).toBe(0);
    await shot('p2-18-calendar');

    // The calendar is ADMIN's to edit: add a day off, then remove it.
    await login('admin', ADMIN_PASSWORD);
    await page.goto(`${base}/calendar`);
    await typeDate('#date', '31/12/2026');
    await page.locator('#kind').click();
    await visibleOption('Ngày nghỉ bù').click();
    await page.locator('#name').fill('Nghỉ cuối năm (thử)');
    await page.locator('[data-testid="calendar-form"]').getByRole('button', { name: 'Lưu' }).click();
    const added = page.locator('.ant-table-row', { hasText: 'Nghỉ cuối năm (thử)' });
    await added.waitFor();
    expect(await added.innerText()).toContain('31/12/2026');
    await shot('p2-18b-calendar-admin');
    await added.getByRole('button', { name: 'Gỡ' }).click();
    await confirmPopover();
    await expect.poll(() => added.count()).toBe(0);
    await login('td.coordinator');
    await page.goto(`${base}/indicators`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot('p2-19-indicators');
    await main().getByRole('link', { name: 'Tỷ lệ hộ nghèo đa chiều', exact: true }).click();
    await page.waitForURL(/\/indicators\/show\//);
    await main().getByText('Tiến độ thực hiện').waitFor();
    await page.locator('svg.recharts-surface').first().waitFor();
    await shot('p2-20-indicator-show');
    await main().getByRole('button', { name: 'Nhập số liệu chỉ tiêu theo xã' }).click();
    await page.waitForURL(/\/indicator-values/);
    // Before the 2025 reform, Tam Đường's communes were in the district.
    await page.locator('#values-year').fill('2024');
    const banBo = page.locator('.ant-table-row', { hasText: 'Xã Bản Bo' });
    await banBo.waitFor();
    // A ratio indicator: numerator and denominator per commune, saved row by row.
    const [numerator, denominator] = [banBo.locator('input').nth(0), banBo.locator('input').nth(1)];
    await numerator.fill('');
    await numerator.fill('101');
    await denominator.fill('');
    await denominator.fill('1010');
    await banBo.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => banBo.locator('.ant-tag').innerText()).toBe('10');
    await shot('p2-21-indicator-values');
  });

  it('runs a query on the analyst page with the signed-in token', async () => {
    await login('td.coordinator');
    await page.goto(`${base}/query`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 20_000 }).toContain('disbursementRate');
    expect(await page.locator('.graphiql-response').innerText()).not.toContain('UNAUTHENTICATED');
    await shot('p2-22-query');
  });

  it('reads the same pages in English and as a commune officer', async () => {
    await login('td.coordinator');
    await page.locator('[data-testid="language-switch"]').getByText('EN').click();
    await page.goto(`${base}/funding/summary`);
    await expect.poll(() => main().innerText()).toContain('Funding by project × source × year');
    await shot('p2-23-funding-summary-english');
    await page.locator('[data-testid="language-switch"]').getByText('VI').click();
    await logout();
    await login('td.banbo');
    await page.goto(`${base}/funding/allocations`);
    await page.locator('.ant-table-row').first().waitFor();
    expect(await page.getByRole('button', { name: 'Thêm mới' }).count()).toBe(0);
    await page.goto(`${base}/reporting/review`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await page.locator('[data-testid="dashboard-overdue"]').waitFor();
    await shot('p2-24-dashboard-phone');
    await page.goto(`${base}/reporting/deadlines`);
    await page.locator('[data-testid="my-deadlines"] .ant-table-row').first().waitFor();
    await shot('p2-25-my-deadlines-phone');
    await page.setViewportSize({ width: 1366, height: 820 });
    await logout();
    expect(pageErrors).toEqual([]);
  });
});
