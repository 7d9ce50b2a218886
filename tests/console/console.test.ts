import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/app';
import { browserSuiteTitle, hasChromium, useBrowser, useConsoleApp } from '../support/browser';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';

/** The province's node in the unit tree: its kind tag, then its name. */
const PROVINCE_NODE = /^Tỉnh\s*Tỉnh Lai Châu/;

describe.skipIf(!hasChromium)(browserSuiteTitle('admin console in Chromium'), () => {
  const t = useConsoleApp();
  const b = useBrowser(t, { shotScrollToTop: false, shotSettleMs: 400 });
  const { shot, visibleOption, typeDate, signIn: login, logout } = b;
  const menu = () => b.page.locator('.ant-layout-sider .ant-menu');
  const fieldError = (name: string) => b.page.locator(`.ant-form-item:has(#${name}) .ant-form-item-explain-error`);

  it('serves the console and the API on one port', async () => {
    const html = await fetch(`${b.base}/units/show/1`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<div id="root">');
    const health = await (await fetch(`${b.base}/healthz`)).json();
    expect(health).toEqual({ status: 'ok' });
    const gql = await fetch(`${b.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(((await gql.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
  });

  it('asks to sign in, in Vietnamese, and explains a wrong password', async () => {
    await b.page.goto(`${b.base}/`);
    await b.page.waitForURL(/\/login/);
    await expect.poll(() => b.page.locator('h3').textContent()).toBe('Đăng nhập');
    await shot('01-login');
    await b.page.locator('#username').fill('admin');
    await b.page.locator('#password').fill('wrong-password');
    await b.page.getByRole('button', { name: 'Đăng nhập' }).click();
    const error = b.page.locator('[data-testid="login-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/[àáảãạâăđêôơư]/i);
    await shot('02-login-error');
  });

  it('signs the admin in and shows the admin menu', async () => {
    await login('admin', ADMIN_PASSWORD);
    const items = await menu().innerText();
    for (const label of ['Trang chủ', 'Đơn vị', 'Chương trình', 'Dự án, tiểu dự án', 'Người dùng', 'Nhật ký thao tác'])
      expect(items).toContain(label);
    await expect.poll(() => b.page.locator('main').innerText()).toContain('Quản trị hệ thống');
    await shot('03-home-admin');
  });

  it('browses units as a tree and as a list', async () => {
    await menu().getByText('Đơn vị', { exact: true }).click();
    await b.page.waitForURL(/\/units/);
    const tree = b.page.locator('[data-testid="unit-tree"]');
    // The province's own node (kind tag, then name): its departments' names also contain "tỉnh Lai Châu".
    await tree.locator('.ant-tree-title', { hasText: PROVINCE_NODE }).waitFor();
    await tree.getByText('Huyện Tam Đường').waitFor();
    await shot('04-units-tree');

    await tree.getByText('Huyện Tam Đường').click();
    await b.page.waitForURL(/\/units\/show\//);
    await b.page.locator('main').getByText('Xã Bản Bo').waitFor();
    await shot('05-unit-show');

    await b.page.goto(`${b.base}/units`);
    await b.page.getByRole('tab', { name: 'Danh sách' }).click();
    await b.page.getByPlaceholder('Tìm theo tên hoặc mã').fill('tam duong');
    await b.page.getByPlaceholder('Tìm theo tên hoặc mã').press('Enter');
    await expect.poll(() => b.page.locator('.ant-table-tbody').innerText()).toContain('Huyện Tam Đường');
    const dates = await b.page.locator('.ant-table-tbody').innerText();
    expect(dates).toMatch(/30\/06\/2025/);
    await shot('06-units-list');
  });

  it('creates a unit: the server refuses a used code on the form, then accepts the fixed one', async () => {
    await b.page.goto(`${b.base}/units/create`);
    await b.page.locator('#code').fill('TAMDUONG.BANBO');
    await b.page.locator('#name').fill('Xã Thử Nghiệm');
    await b.page.locator('#kind').click();
    await visibleOption('Xã').click();
    await b.page.locator('#parentId').click();
    await b.page.locator('#parentId').fill('Lai Châu');
    await visibleOption('Tỉnh Lai Châu').click();
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError('code').textContent()).toBe('Mã đã tồn tại');
    await shot('07-unit-create-error');

    await b.page.locator('#code').fill('LAICHAU.THUNGHIEM');
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await b.page.waitForURL(/\/units\/show\//);
    await b.page.locator('main').getByText('LAICHAU.THUNGHIEM').waitFor();
    await shot('08-unit-created');
  });

  it('edits the unit: dates out of order are shown on the field, then fixed', async () => {
    await b.page.getByRole('button', { name: 'Sửa' }).click();
    await b.page.waitForURL(/\/units\/edit\//);
    await expect.poll(() => b.page.locator('#name').inputValue()).toBe('Xã Thử Nghiệm');
    await b.page.locator('#name').fill('Xã Thử Nghiệm Mới');
    await typeDate('#validFrom', '01/07/2025');
    await typeDate('#validTo', '01/01/2025');
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError('validTo').textContent()).toBe('Ngày kết thúc phải sau hoặc bằng ngày bắt đầu');
    await shot('09-unit-edit-error');

    await typeDate('#validTo', '31/12/2030');
    await b.page.getByRole('button', { name: 'Lưu' }).click();
    await b.page.waitForURL(/\/units\/show\//);
    const main = b.page.locator('main');
    await main.getByText('Xã Thử Nghiệm Mới').first().waitFor();
    expect(await main.innerText()).toContain('31/12/2030');
    await shot('10-unit-edited');
    const [row] = await t.db<{ name: string; valid_to: string }>("SELECT name, valid_to::text FROM unit WHERE code = 'LAICHAU.THUNGHIEM'");
    expect(row).toEqual({ name: 'Xã Thử Nghiệm Mới', valid_to: '2030-12-31' });
  });

  it('shows programs, components with lead agencies, reporting units, users and the audit log', async () => {
    await b.page.goto(`${b.base}/programs`);
    await b.page.getByText('GNBV-2021-2025').waitFor();
    await shot('11-programs');
    await b.page.getByRole('link', { name: /Chương trình mục tiêu quốc gia giảm nghèo bền vững/ }).click();
    await b.page.waitForURL(/\/programs\/show\//);
    await b.page.getByRole('link', { name: 'Cải thiện dinh dưỡng', exact: true }).waitFor();
    await b.page.getByText('Đơn vị có nghĩa vụ báo cáo').waitFor();
    await shot('12-program-show');

    await b.page.getByRole('link', { name: 'Cải thiện dinh dưỡng', exact: true }).click();
    await b.page.waitForURL(/\/program-components\/show\//);
    await b.page.getByText('Trung tâm Y tế huyện Tam Đường').waitFor();
    await shot('13-component-show');

    await b.page.goto(`${b.base}/users`);
    await b.page.getByText('td.coordinator').waitFor();
    await shot('14-users');

    await b.page.goto(`${b.base}/audit`);
    await expect.poll(() => b.page.locator('.ant-table-tbody').innerText()).toContain('updateUnit');
    await shot('15-audit');

    await b.page.goto(`${b.base}/change-password`);
    await b.page.locator('#currentPassword').waitFor();
    await shot('16-change-password');
  });

  it('switches to English and logs out', async () => {
    await b.page.goto(`${b.base}/units`);
    await b.page.locator('[data-testid="language-switch"]').getByText('EN').click();
    await expect.poll(() => menu().innerText()).toContain('Units');
    expect(await menu().innerText()).toContain('Audit log');
    await b.page.getByRole('tab', { name: 'List' }).waitFor();
    await shot('17-units-english');
    await logout(/Log out/);
    await expect.poll(() => b.page.locator('h3').textContent()).toBe('Sign in');
    await b.page.locator('[data-testid="language-switch"]').getByText('VI').click();
    await expect.poll(() => b.page.locator('h3').textContent()).toBe('Đăng nhập');
  });

  it('signs a coordinator in: no users menu, no unit writes, users page refused', async () => {
    await login('td.coordinator', DEMO_PASSWORD);
    const items = await menu().innerText();
    expect(items).toContain('Đơn vị');
    expect(items).toContain('Nhật ký thao tác');
    expect(items).not.toContain('Người dùng');
    await expect.poll(() => b.page.locator('main').innerText()).toContain('Cơ quan thường trực');
    await shot('18-home-coordinator');

    await b.page.goto(`${b.base}/units`);
    await b.page.locator('[data-testid="unit-tree"] .ant-tree-title', { hasText: PROVINCE_NODE }).waitFor();
    expect(await b.page.getByRole('button', { name: 'Thêm mới' }).count()).toBe(0);
    await shot('19-units-coordinator');

    await b.page.goto(`${b.base}/users`);
    await b.page.getByText('Bạn không có quyền xem trang này.').waitFor();
    await shot('20-users-forbidden');

    await b.page.setViewportSize({ width: 390, height: 844 });
    await b.page.goto(`${b.base}/units`);
    await b.page.locator('[data-testid="unit-tree"] .ant-tree-title', { hasText: PROVINCE_NODE }).waitFor();
    await shot('21-units-phone');
    await b.page.setViewportSize({ width: 1366, height: 820 });

    await logout(/Đăng xuất/);
    expect(b.pageErrors).toEqual([]);
  });
});
