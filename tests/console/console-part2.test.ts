import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/app';
import { browserSuiteTitle, hasChromium, useBrowser, useConsoleApp } from '../support/browser';

/** `1.234.567 ₫`, as the console writes VND. */
const vnd = (v: bigint | string) => `${String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

const title = browserSuiteTitle('admin console part 2 in Chromium', 'funding, missions, reports, indicators, analysts');

describe.skipIf(!hasChromium)(title, () => {
  const t = useConsoleApp();
  const b = useBrowser(t);
  const { shot, main, visibleOption, typeDate, pick, confirmPopover, login, logout } = b;

  beforeAll(async () => {
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
  const totalsText = () => b.page.locator('[data-testid="funding-totals"]').innerText();

  it('shows the dashboard to the standing agency', async () => {
    await login('td.coordinator');
    await b.page.locator('[data-testid="dashboard-funding"] svg.recharts-surface').first().waitFor();
    await b.page.locator('[data-testid="dashboard-overdue"]').waitFor();
    expect(await main().innerText()).toContain('Giao vốn và giải ngân theo dự án');
    await shot('p2-01-dashboard');
  });

  it('creates an allocation and a disbursement, and the summary changes', async () => {
    await login('td.coordinator');
    const before = await projectTotals();
    await b.page.goto(`${b.base}/funding/summary`);
    await b.page.locator('[data-testid="funding-pivot"] .ant-table-row').first().waitFor();
    await b.page.locator('svg.recharts-surface').first().waitFor();
    // The summary page fetches two summaries after navigation: on a loaded machine that takes more than a second.
    await expect.poll(totalsText, { timeout: 10_000 }).toContain(vnd(before.allocated));
    await shot('p2-02-funding-summary-before');

    await b.page.goto(`${b.base}/funding/allocations`);
    await b.page.locator('.ant-table-row').first().waitFor();
    await shot('p2-03-allocations');
    // The list's export goes through the server's exportList, then GET /files/:id.
    await b.page.locator('[data-testid="export-fundingAllocations"]').hover();
    const download = b.page.waitForEvent('download');
    await b.page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    await b.page.goto(`${b.base}/funding/allocations/create`);
    await pick('#componentId', 'DA3.TDA1');
    await pick('#unitId', 'LAICHAU.TAMDUONG');
    await b.page.locator('#year').fill('2025');
    await b.page.locator('#source').click();
    await visibleOption('Vốn lồng ghép').click();
    await b.page.locator('#decisionRef').fill('QĐ 123/QĐ-UBND');
    await b.page.locator('#plannedAmount').fill('1500000000');
    // Allocated is required: the form says so on the field before anything is sent.
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await b.page.locator('.ant-form-item:has(#allocatedAmount) .ant-form-item-explain-error').waitFor();
    await b.page.locator('#allocatedAmount').fill('1200000000');
    await shot('p2-04-allocation-create');
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await b.page.waitForURL(/\/funding\/allocations\/show\//);
    await expect.poll(() => b.page.locator('[data-testid="allocation-detail"]').innerText()).toContain('1.200.000.000 ₫');

    await typeDate('#date', '15/06/2025');
    await b.page.locator('#amount').fill('300000000');
    await b.page.locator('#reference').fill('UNC 45/2025');
    await b.page.getByRole('button', { name: 'Ghi giải ngân' }).click();
    await expect.poll(() => b.page.locator('[data-testid="disbursements"]').innerText()).toContain('300.000.000 ₫');
    await typeDate('#date', '20/07/2025');
    await b.page.locator('#amount').fill('-50000000');
    await b.page.getByRole('button', { name: 'Ghi giải ngân' }).click();
    // Running totals: 300 then 250 million.
    await expect.poll(() => b.page.locator('[data-testid="disbursements"]').innerText()).toContain('250.000.000 ₫');
    await expect.poll(() => b.page.locator('[data-testid="allocation-detail"]').innerText()).toContain('250.000.000 ₫');
    await shot('p2-05-allocation-show');

    await b.page.getByRole('button', { name: 'Điều chỉnh kế hoạch' }).click();
    await b.page.locator('.ant-modal #allocatedAmount').fill('1300000000');
    await b.page.locator('.ant-modal #decisionRef').fill('QĐ 200/QĐ-UBND');
    await b.page.locator('.ant-modal #reason').fill('Bổ sung vốn giữa năm');
    await b.page.locator('.ant-modal').getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => main().innerText()).toContain('Bổ sung vốn giữa năm');
    await shot('p2-06-allocation-revised');

    const after = await projectTotals();
    expect(after.allocated - before.allocated).toBe(1_300_000_000n);
    expect(after.disbursed - before.disbursed).toBe(250_000_000n);
    await b.page.goto(`${b.base}/funding/summary`);
    await expect.poll(totalsText, { timeout: 10_000 }).toContain(vnd(after.allocated));
    expect(await totalsText()).toContain(vnd(after.disbursed));
    expect(await b.page.locator('[data-testid="funding-pivot"]').innerText()).toContain('Vốn lồng ghép');
    await shot('p2-07-funding-summary-after');
  });

  it('plans two overlapping missions: the conflict is shown, then justified', async () => {
    await login('td.coordinator');
    const plan = async (title: string, from: string, to: string) => {
      await b.page.goto(`${b.base}/missions/create`);
      await b.page.locator('#title').fill(title);
      await pick('#leadUnitId', 'PLDTBXH', 'TAMDUONG.PLDTBXH');
      await typeDate('#startDate', from);
      await typeDate('#endDate', to);
      await pick('#targetUnitIds', 'TAMDUONG.BANBO');
      await b.page.keyboard.press('Escape');
      await b.page.getByPlaceholder('Họ và tên').first().fill('Trần Văn Hùng');
      await b.page.getByRole('button', { name: 'Thêm thành viên' }).click();
      await b.page.getByPlaceholder('Họ và tên').nth(1).fill('Lò Thị Hoa');
      await b.page.locator('[data-testid="mission-save"]').click();
    };
    await plan('Giám sát hỗ trợ sản xuất tại Bản Bo', '10/03/2025', '12/03/2025');
    await b.page.waitForURL(/\/missions\/show\//);
    await main().getByText('Trưởng đoàn').waitFor();
    await shot('p2-08-mission-show');

    await plan('Giám sát dinh dưỡng tại Bản Bo', '12/03/2025', '14/03/2025');
    const overlap = b.page.locator('[data-testid="mission-overlap"]');
    await overlap.waitFor();
    expect(await overlap.innerText()).toContain('Giám sát hỗ trợ sản xuất tại Bản Bo');
    expect(await overlap.innerText()).toContain('10/03/2025');
    expect(b.page.url()).toMatch(/\/missions\/create$/);
    await shot('p2-09-mission-overlap');

    await b.page.locator('[data-testid="overlap-justification"]').fill('Hai đoàn phối hợp theo chỉ đạo của Ban Chỉ đạo huyện');
    await overlap.getByRole('button', { name: 'Ghi lý do và lưu' }).click();
    await b.page.waitForURL(/\/missions\/show\//);
    await expect.poll(() => b.page.locator('[data-testid="justification"]').innerText()).toContain('Hai đoàn phối hợp');

    await b.page.goto(`${b.base}/missions`);
    await b.page.getByRole('tab', { name: 'Lịch theo đơn vị' }).click();
    await b.page.locator('[data-testid="timeline-year"] input, input[data-testid="timeline-year"]').first().fill('2025');
    await b.page.locator('[data-testid="mission-timeline"]').getByText('Giám sát dinh dưỡng tại Bản Bo').waitFor();
    await shot('p2-10-mission-timeline');

    await b.page.goto(`${b.base}/recommendations`);
    await b.page.getByText('Tổ chức tập huấn kỹ thuật').waitFor();
    await shot('p2-11-recommendations');
  });

  it('a commune submits a report; the standing agency returns it, then accepts it', async () => {
    await login('td.banbo');
    await b.page.goto(`${b.base}/reporting/deadlines`);
    const row = b.page.locator('[data-testid="my-deadlines"] .ant-table-row', { hasText: 'giám sát 6 tháng' }).first();
    await row.waitFor();
    await shot('p2-12-my-deadlines');
    await row.getByRole('button', { name: 'Soạn báo cáo' }).click();
    await b.page.waitForURL(/\/reports\/edit\//);
    await b.page.locator('[data-testid="report-create"]').click();
    await b.page.locator('[data-testid="section-0"]').waitFor();
    await b.page.locator('[data-testid="section-0"]').fill('UBND xã đã ban hành kế hoạch thực hiện và phân công cán bộ theo dõi.');
    await b.page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'bang-so-lieu.csv', mimeType: 'text/csv', buffer: Buffer.from('xa,so ho\nBan Bo,120\n') });
    await b.page.locator('[data-testid="attachments"]').getByText('bang-so-lieu.csv').waitFor();
    await b.page.locator('[data-testid="report-save"]').click();
    await expect.poll(() => b.page.locator('.ant-message').innerText()).toContain('Đã lưu báo cáo');
    await shot('p2-13-report-editor');
    await b.page.locator('[data-testid="report-submit"]').click();
    await confirmPopover();
    await expect.poll(() => b.page.locator('[data-testid="report-status"]').innerText()).toBe('Đã gửi');
    const reportUrl = b.page.url();
    await logout();

    await login('td.coordinator');
    await b.page.goto(`${b.base}/reporting/review`);
    const queued = b.page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: 'Xã Bản Bo' }).first();
    await queued.click();
    const drawer = b.page.locator('[data-testid="review-drawer"]');
    await drawer.getByText('UBND xã đã ban hành kế hoạch').waitFor();
    await drawer.getByText('bang-so-lieu.csv').waitFor();
    await shot('p2-14-review-drawer');
    await b.page.locator('[data-testid="review-return"]').click();
    await b.page.locator('[data-testid="return-reason-input"]').fill('Bổ sung số liệu giải ngân 6 tháng');
    await b.page.locator('.ant-modal:visible').getByRole('button', { name: 'Trả lại' }).click();
    await expect.poll(() => b.page.locator('.ant-drawer').innerText()).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await b.page.locator('.ant-drawer-close').click();
    await logout();

    await login('td.banbo');
    await b.page.goto(reportUrl);
    await expect.poll(() => b.page.locator('[data-testid="return-reason"]').innerText()).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await b.page.locator('[data-testid="section-2"]').fill('Đã giải ngân 250 triệu đồng trong 6 tháng đầu năm.');
    await b.page.locator('[data-testid="report-submit"]').click();
    await confirmPopover();
    await expect.poll(() => b.page.locator('[data-testid="report-status"]').innerText()).toBe('Đã gửi');
    await logout();

    await login('td.coordinator');
    await b.page.goto(`${b.base}/reporting/review`);
    await b.page.locator('[data-testid="review-queue"] .ant-table-row', { hasText: 'Xã Bản Bo' }).first().click();
    await b.page.locator('[data-testid="review-drawer"]').getByText('Đã giải ngân 250 triệu đồng').waitFor();
    await b.page.locator('[data-testid="review-accept"]').click();
    await confirmPopover();
    const history = b.page.locator('.ant-drawer [data-testid="report-history"]');
    await expect.poll(() => history.innerText()).toContain('Đã chấp nhận');
    const text = await history.innerText();
    for (const status of ['Bản nháp', 'Đã gửi', 'Bị trả lại', 'Đã chấp nhận']) expect(text).toContain(status);
    expect(text).toContain('Bổ sung số liệu giải ngân 6 tháng');
    await shot('p2-15-review-accepted');
    await b.page.locator('.ant-drawer-close').click();
    await b.page.getByRole('tab', { name: 'Tất cả đã nhận' }).click();
    await b.page.locator('[data-testid="review-queue"] .ant-table-row').first().waitFor();
    await shot('p2-16-review-all');
  });

  it('reads the completeness matrix: the late report is amber, missing ones red', async () => {
    await login('td.coordinator');
    await b.page.goto(`${b.base}/reporting/completeness`);
    await b.page.locator('#year').fill('2024');
    const matrix = b.page.locator('[data-testid="completeness-matrix"]');
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
    await b.page.goto(`${b.base}/reporting/obligations`);
    await b.page.locator('.ant-table-row').first().waitFor();
    await b.page.getByRole('button', { name: 'Yêu cầu báo cáo đột xuất' }).click();
    await pick('.ant-modal #submitterId', 'TAMDUONG.BINHLU');
    await typeDate('.ant-modal #dueDate', '15/12/2026');
    await b.page.locator('.ant-modal #title').fill('Báo cáo đột xuất về hộ tái nghèo');
    await b.page.locator('.ant-modal').getByRole('button', { name: 'Lưu' }).click();
    const adHoc = b.page.locator('.ant-table-row', { hasText: 'Báo cáo đột xuất về hộ tái nghèo' });
    await adHoc.waitFor();
    expect(await adHoc.innerText()).toContain('15/12/2026');
    await shot('p2-26-obligations');
    await adHoc.getByRole('button', { name: 'Hủy nghĩa vụ' }).click();
    await b.page.locator('.ant-modal #reason').fill('Đã có số liệu từ báo cáo năm');
    await b.page.locator('.ant-modal:visible .ant-btn-dangerous').click();
    await expect.poll(() => adHoc.innerText()).toContain('Đã hủy');

    await b.page.goto(`${b.base}/missions`);
    await b.page.getByRole('tab', { name: 'Kế hoạch giám sát' }).click();
    await b.page.getByText('Kế hoạch giám sát, đánh giá Chương trình MTQG giảm nghèo bền vững năm 2024').waitFor();
    await shot('p2-27-monitoring-plans');

    await b.page.goto(`${b.base}/recommendations`);
    await b.page.getByRole('tab', { name: 'Theo đơn vị tiếp nhận' }).click();
    await b.page.locator('.ant-table-row', { hasText: 'Xã Bản Bo' }).waitFor();
    await shot('p2-28-recommendations-by-addressee');
  });

  it('shows the calendar, the indicator catalog, progress and values entry', async () => {
    await login('td.coordinator');
    await b.page.goto(`${b.base}/calendar`);
    await b.page.locator('.ant-table-row').first().waitFor();
    expect(await b.page.locator('[data-testid="calendar-form"]').count()).toBe(0);
    await shot('p2-18-calendar');

    // The calendar is ADMIN's to edit: add a day off, then remove it.
    await login('admin', ADMIN_PASSWORD);
    await b.page.goto(`${b.base}/calendar`);
    await typeDate('#date', '31/12/2026');
    await b.page.locator('#kind').click();
    await visibleOption('Ngày nghỉ bù').click();
    await b.page.locator('#name').fill('Nghỉ cuối năm (thử)');
    await b.page.locator('[data-testid="calendar-form"]').getByRole('button', { name: 'Lưu' }).click();
    const added = b.page.locator('.ant-table-row', { hasText: 'Nghỉ cuối năm (thử)' });
    await added.waitFor();
    expect(await added.innerText()).toContain('31/12/2026');
    await shot('p2-18b-calendar-admin');
    await added.getByRole('button', { name: 'Gỡ' }).click();
    await confirmPopover();
    await expect.poll(() => added.count()).toBe(0);
    await login('td.coordinator');
    await b.page.goto(`${b.base}/indicators`);
    await b.page.locator('.ant-table-row').first().waitFor();
    await shot('p2-19-indicators');
    await main().getByRole('link', { name: 'Tỷ lệ hộ nghèo đa chiều', exact: true }).click();
    await b.page.waitForURL(/\/indicators\/show\//);
    await main().getByText('Tiến độ thực hiện').waitFor();
    await b.page.locator('svg.recharts-surface').first().waitFor();
    await shot('p2-20-indicator-show');
    await main().getByRole('button', { name: 'Nhập số liệu chỉ tiêu theo xã' }).click();
    await b.page.waitForURL(/\/indicator-values/);
    // Before the 2025 reform, Tam Đường's communes were in the district.
    await b.page.locator('#values-year').fill('2024');
    const banBo = b.page.locator('.ant-table-row', { hasText: 'Xã Bản Bo' });
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
    await b.page.goto(`${b.base}/query`);
    await b.page.locator('.graphiql-container').waitFor();
    // GraphiQL drops an answer that arrives before its response editor is ready (the roll-up answers in a
    // few ms, the editor loads lazily under load): run the query again until the answer shows.
    const response = b.page.locator('.graphiql-response');
    await expect
      .poll(
        async () => {
          const text = await response.innerText();
          if (!text.includes('disbursementRate')) await b.page.locator('.graphiql-execute-button').click();
          return text;
        },
        { timeout: 30_000, interval: 2_000 },
      )
      .toContain('disbursementRate');
    expect(await b.page.locator('.graphiql-response').innerText()).not.toContain('UNAUTHENTICATED');
    await shot('p2-22-query');
  });

  it('reads the same pages in English and as a commune officer', async () => {
    await login('td.coordinator');
    await b.page.locator('[data-testid="language-switch"]').getByText('EN').click();
    await b.page.goto(`${b.base}/funding/summary`);
    await expect.poll(() => main().innerText()).toContain('Funding by project × source × year');
    await shot('p2-23-funding-summary-english');
    await b.page.locator('[data-testid="language-switch"]').getByText('VI').click();
    await logout();
    await login('td.banbo');
    await b.page.goto(`${b.base}/funding/allocations`);
    await b.page.locator('.ant-table-row').first().waitFor();
    expect(await b.page.getByRole('button', { name: 'Thêm mới' }).count()).toBe(0);
    await b.page.goto(`${b.base}/reporting/review`);
    await b.page.getByText('Bạn không có quyền xem trang này.').waitFor();

    await b.page.setViewportSize({ width: 390, height: 844 });
    await b.page.goto(`${b.base}/`);
    await b.page.locator('[data-testid="dashboard-overdue"]').waitFor();
    await shot('p2-24-dashboard-phone');
    await b.page.goto(`${b.base}/reporting/deadlines`);
    await b.page.locator('[data-testid="my-deadlines"] .ant-table-row').first().waitFor();
    await shot('p2-25-my-deadlines-phone');
    await b.page.setViewportSize({ width: 1366, height: 820 });
    await logout();
    expect(b.pageErrors).toEqual([]);
  });
});
