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
  ? 'admin console in Chromium'
  : 'admin console in Chromium (SKIPPED: /usr/bin/chromium is missing; install it with `apt-get install chromium`)';

describe.skipIf(!hasChromium)(title, () => {
  // The server serves the console only when it has been built (the `test` script builds it first).
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
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** A full-page screenshot once loading spinners are gone, for people to look at. */
  const shot = async (name: string) => {
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await page.waitForTimeout(400); // let expand and fade animations finish
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const menu = () => page.locator('.ant-layout-sider .ant-menu');
  const visibleOption = (text: string) => page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
  const fieldError = (name: string) => page.locator(`.ant-form-item:has(#${name}) .ant-form-item-explain-error`);
  /** Types a dd/MM/yyyy date into an antd DatePicker. */
  const typeDate = async (name: string, value: string) => {
    const input = page.locator(`#${name}`);
    await input.click();
    await input.fill(value);
    await input.press('Enter');
  };

  async function login(username: string, password: string) {
    await page.goto(`${base}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('[data-testid="user-menu"]').isVisible()).toBe(true);
  }

  async function logout(label: RegExp) {
    await page.locator('[data-testid="user-menu"]').click();
    await page.getByRole('menuitem', { name: label }).click();
    await page.waitForURL(/\/login/);
  }

  it('serves the console and the API on one port', async () => {
    const html = await fetch(`${base}/units/show/1`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<div id="root">');
    const health = await (await fetch(`${base}/healthz`)).json();
    expect(health).toEqual({ status: 'ok' });
    const gql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(((await gql.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
  });

  it('asks to sign in, in Vietnamese, and explains a wrong password', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator('h3').textContent()).toBe('Đăng nhập');
    await shot('01-login');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('wrong-password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/[àáảãạâăđêôơư]/i);
    await shot('02-login-error');
  });

  it('signs the admin in and shows the admin menu', async () => {
    await login('admin', ADMIN_PASSWORD);
    const items = await menu().innerText();
    for (const label of ['Trang chủ', 'Đơn vị', 'Chương trình', 'Dự án, tiểu dự án', 'Người dùng', 'Nhật ký thao tác'])
      expect(items).toContain(label);
    await expect.poll(() => page.locator('main').innerText()).toContain('Quản trị hệ thống');
    await shot('03-home-admin');
  });

  it('browses units as a tree and as a list', async () => {
    await menu().getByText('Đơn vị', { exact: true }).click();
    await page.waitForURL(/\/units/);
    const tree = page.locator('[data-testid="unit-tree"]');
    await tree.getByText('Tỉnh Lai Châu').waitFor();
    await tree.getByText('Huyện Tam Đường').waitFor();
    await shot('04-units-tree');

    await tree.getByText('Huyện Tam Đường').click();
    await page.waitForURL(/\/units\/show\//);
    await page.locator('main').getByText('Xã Bản Bo').waitFor();
    await shot('05-unit-show');

    await page.goto(`${base}/units`);
    await page.getByRole('tab', { name: 'Danh sách' }).click();
    await page.getByPlaceholder('Tìm theo tên hoặc mã').fill('tam duong');
    await page.getByPlaceholder('Tìm theo tên hoặc mã').press('Enter');
    await expect.poll(() => page.locator('.ant-table-tbody').innerText()).toContain('Huyện Tam Đường');
    const dates = await page.locator('.ant-table-tbody').innerText();
    expect(dates).toMatch(/30\/06\/2025/);
    await shot('06-units-list');
  });

  it('creates a unit: the server refuses a used code on the form, then accepts the fixed one', async () => {
    await page.goto(`${base}/units/create`);
    await page.locator('#code').fill('TAMDUONG.BANBO');
    await page.locator('#name').fill('Xã Thử Nghiệm');
    await page.locator('#kind').click();
    await visibleOption('Xã').click();
    await page.locator('#parentId').click();
    await page.locator('#parentId').fill('Lai Châu');
    await visibleOption('Tỉnh Lai Châu').click();
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError('code').textContent()).toBe('Mã đã tồn tại');
    await shot('07-unit-create-error');

    await page.locator('#code').fill('LAICHAU.THUNGHIEM');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/units\/show\//);
    await page.locator('main').getByText('LAICHAU.THUNGHIEM').waitFor();
    await shot('08-unit-created');
  });

  it('edits the unit: dates out of order are shown on the field, then fixed', async () => {
    await page.getByRole('button', { name: 'Sửa' }).click();
    await page.waitForURL(/\/units\/edit\//);
    await expect.poll(() => page.locator('#name').inputValue()).toBe('Xã Thử Nghiệm');
    await page.locator('#name').fill('Xã Thử Nghiệm Mới');
    await typeDate('validFrom', '01/07/2025');
    await typeDate('validTo', '01/01/2025');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError('validTo').textContent()).toBe('Ngày kết thúc phải sau hoặc bằng ngày bắt đầu');
    await shot('09-unit-edit-error');

    await typeDate('validTo', '31/12/2030');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/units\/show\//);
    const main = page.locator('main');
    await main.getByText('Xã Thử Nghiệm Mới').first().waitFor();
    expect(await main.innerText()).toContain('31/12/2030');
    await shot('10-unit-edited');
    const [row] = await t.db<{ name: string; valid_to: string }>("SELECT name, valid_to::text FROM unit WHERE code = 'LAICHAU.THUNGHIEM'");
    expect(row).toEqual({ name: 'Xã Thử Nghiệm Mới', valid_to: '2030-12-31' });
  });

  it('shows programs, components with lead agencies, reporting units, users and the audit log', async () => {
    await page.goto(`${base}/programs`);
    await page.getByText('GNBV-2021-2025').waitFor();
    await shot('11-programs');
    await page.getByRole('link', { name: /Chương trình mục tiêu quốc gia giảm nghèo bền vững/ }).click();
    await page.waitForURL(/\/programs\/show\//);
    await page.getByRole('link', { name: 'Cải thiện dinh dưỡng', exact: true }).waitFor();
    await page.getByText('Đơn vị có nghĩa vụ báo cáo').waitFor();
    await shot('12-program-show');

    await page.getByRole('link', { name: 'Cải thiện dinh dưỡng', exact: true }).click();
    await page.waitForURL(/\/program-components\/show\//);
    await page.getByText('Trung tâm Y tế huyện Tam Đường').waitFor();
    await shot('13-component-show');

    await page.goto(`${base}/users`);
    await page.getByText('td.coordinator').waitFor();
    await shot('14-users');

    await page.goto(`${base}/audit`);
    await expect.poll(() => page.locator('.ant-table-tbody').innerText()).toContain('updateUnit');
    await shot('15-audit');

    await page.goto(`${base}/change-password`);
    await page.locator('#currentPassword').waitFor();
    await shot('16-change-password');
  });

  it('switches to English and logs out', async () => {
    await page.goto(`${base}/units`);
    await page.locator('[data-testid="language-switch"]').getByText('EN').click();
    await expect.poll(() => menu().innerText()).toContain('Units');
    expect(await menu().innerText()).toContain('Audit log');
    await page.getByRole('tab', { name: 'List' }).waitFor();
    await shot('17-units-english');
    await logout(/Log out/);
    await expect.poll(() => page.locator('h3').textContent()).toBe('Sign in');
    await page.locator('[data-testid="language-switch"]').getByText('VI').click();
    await expect.poll(() => page.locator('h3').textContent()).toBe('Đăng nhập');
  });

  it('signs a coordinator in: no users menu, no unit writes, users page refused', async () => {
    await login('td.coordinator', DEMO_PASSWORD);
    const items = await menu().innerText();
    expect(items).toContain('Đơn vị');
    expect(items).toContain('Nhật ký thao tác');
    expect(items).not.toContain('Người dùng');
    await expect.poll(() => page.locator('main').innerText()).toContain('Cơ quan thường trực');
    await shot('18-home-coordinator');

    await page.goto(`${base}/units`);
    await page.locator('[data-testid="unit-tree"]').getByText('Tỉnh Lai Châu').waitFor();
    expect(await page.getByRole('button', { name: 'Thêm mới' }).count()).toBe(0);
    await shot('19-units-coordinator');

    await page.goto(`${base}/users`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();
    await shot('20-users-forbidden');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/units`);
    await page.locator('[data-testid="unit-tree"]').getByText('Tỉnh Lai Châu').waitFor();
    await shot('21-units-phone');
    await page.setViewportSize({ width: 1366, height: 820 });

    await logout(/Đăng xuất/);
    expect(pageErrors).toEqual([]);
  });
});
