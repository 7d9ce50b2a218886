import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Config } from '../../packages/server/src/config';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';
import { useTestApp, type TestApp } from './app';

const CHROMIUM = '/usr/bin/chromium';
/** Whether the Debian Chromium the browser tests drive is installed. */
export const hasChromium = fs.existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const CONSOLE_DIST = path.join(ROOT, 'packages/console/dist/index.html');
const SHOTS = path.join(ROOT, 'test-artifacts/console');

/**
 * The title of a browser suite: `name`, then `: about` when given; when Chromium is missing, the
 * reason the suite is skipped and how to install it (also warned on the console).
 */
export function browserSuiteTitle(name: string, about?: string): string {
  if (hasChromium) return about ? `${name}: ${about}` : name;
  console.warn(`Browser tests skipped: ${CHROMIUM} is missing. Install it with \`apt-get install chromium\`.`);
  return `${name} (SKIPPED: ${CHROMIUM} is missing; install it with \`apt-get install chromium\`)`;
}

/**
 * The test app for a browser suite: builds the console first when packages/console/dist is missing,
 * because the server serves the console only when it has been built when it starts (the `test`
 * script builds it first). Call it where `useTestApp()` would be called, before `useBrowser`.
 */
export function useConsoleApp(configOverrides: Partial<Config> = {}): TestApp {
  beforeAll(() => {
    if (!fs.existsSync(CONSOLE_DIST)) execSync('pnpm --filter @ntp/console build', { cwd: ROOT, stdio: 'inherit' });
  }, 180_000);
  return useTestApp(configOverrides);
}

export interface BrowserOptions {
  /** Before a screenshot: scroll the page back to its top (default true). */
  shotScrollToTop?: boolean;
  /** Before a screenshot: how long to let expand and fade animations finish, in ms (default 500). */
  shotSettleMs?: number;
}

export interface BrowserSuite {
  /** The Chromium page, once the suite's beforeAll has run. */
  readonly page: Page;
  /** `http://127.0.0.1:<port>` of the real server, console and API on one port. */
  readonly base: string;
  /** Uncaught errors of the page, for a closing `expect(pageErrors).toEqual([])`. */
  readonly pageErrors: string[];
  /** A full-page screenshot once loading spinners are gone, for people to look at (test-artifacts/console/<name>.png). */
  shot(name: string): Promise<void>;
  main(): Locator;
  /** The option holding `text` in the open antd Select dropdown. */
  visibleOption(text: string): Locator;
  /** Types a dd/MM/yyyy date into the antd DatePicker at `selector`. */
  typeDate(selector: string, value: string): Promise<void>;
  /** Types into an antd Select's search and picks the option containing `option` (a single select: and waits until its list has closed). */
  pick(selector: string, search: string, option?: string): Promise<void>;
  /** Opens an antd Select, picks the option containing `option`, and waits until its list has closed. */
  choose(selector: string, option: string): Promise<void>;
  /** Confirms the open Popconfirm. */
  confirmPopover(): Promise<void>;
  /** Signs in on the login page, keeping whatever the browser already holds. */
  signIn(username: string, password?: string): Promise<void>;
  /** Signs in afresh (any earlier session in the browser is dropped), so each test can start on its own. */
  login(username: string, password?: string): Promise<void>;
  /** Logs out through the user menu. */
  logout(label?: RegExp): Promise<void>;
}

/**
 * Serves `t` (from `useConsoleApp`) on a free port and drives it with Chromium through
 * playwright-core, for the describe block it is called in; closes both afterwards.
 */
export function useBrowser(t: TestApp, opts: BrowserOptions = {}): BrowserSuite {
  const { shotScrollToTop = true, shotSettleMs = 500 } = opts;
  let server: Server;
  let base = '';
  let profile = '';
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await new Promise<Server>((resolve, reject) => {
      const s = createServer(t.app.handler);
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
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

  /** A multi-select or a list still closing covers the next field (under load a click on it landed on an option). */
  const listClosed = (timeout = 20_000) =>
    page.waitForFunction("!document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')", undefined, { timeout });

  const visibleOption = (text: string) => page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();

  const signIn = async (username: string, password = DEMO_PASSWORD) => {
    await page.goto(`${base}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('[data-testid="user-menu"]').isVisible()).toBe(true);
  };

  return {
    get page() {
      return page;
    },
    get base() {
      return base;
    },
    get pageErrors() {
      return pageErrors;
    },
    async shot(name) {
      await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
      if (shotScrollToTop) await page.evaluate('window.scrollTo(0, 0)');
      await page.waitForTimeout(shotSettleMs); // let expand and fade animations finish
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    },
    main: () => page.locator('main'),
    visibleOption,
    async typeDate(selector, value) {
      const input = page.locator(selector);
      // Under load the picker can drop a keystroke: type again until the field holds the date.
      for (let attempt = 0; attempt < 3; attempt++) {
        await input.click();
        await input.fill(value);
        await input.press('Enter');
        if ((await input.inputValue()) === value) return;
      }
      expect(await input.inputValue()).toBe(value);
    },
    async pick(selector, search, option = search) {
      await page.locator(selector).click();
      await page.locator(selector).fill(search);
      await visibleOption(option).click();
      // A multiple select keeps its list open for the next choice.
      if (!(await page.locator(selector).evaluate((el) => !!el.closest('.ant-select-multiple')))) await listClosed();
    },
    async choose(selector, option) {
      await page.locator(selector).click();
      // Under load a click can land while the list is still re-rendering and choose nothing: the list then
      // stays open, and the option is clicked again.
      for (let attempt = 1; ; attempt++) {
        await visibleOption(option).click();
        try {
          await listClosed(attempt < 3 ? 5_000 : 20_000);
          return;
        } catch (e) {
          if (attempt >= 3) throw e;
        }
      }
    },
    confirmPopover: () => page.locator('.ant-popover:visible .ant-btn-primary').click(),
    signIn,
    async login(username, password = DEMO_PASSWORD) {
      await page.goto(`${base}/login`);
      await page.evaluate("localStorage.removeItem('ntp.token')");
      await signIn(username, password);
    },
    async logout(label = /Đăng xuất|Log out/) {
      // Under load a click can land while the menu is still opening; open it and click again until we are out.
      // The menu can also close again before the click lands (the item is then never visible): open it again.
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= 3;
        if (attempt > 1 && /\/login/.test(page.url())) return; // the earlier click did sign out, slowly
        try {
          if (!(await page.getByRole('menuitem', { name: label }).isVisible())) await page.locator('[data-testid="user-menu"]').click();
          await page.getByRole('menuitem', { name: label }).click({ timeout: last ? 20_000 : 5_000 });
          await page.waitForURL(/\/login/, { timeout: last ? 20_000 : 7_000 });
          return;
        } catch (e) {
          if (last) throw e;
        }
      }
    },
  };
}
