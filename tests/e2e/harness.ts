// Opens the built app in a fresh browser context of the test file's Chromium and records everything a test
// needs to judge the page.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a wait may take before the test calls it a hang. */
export const PATIENCE_MS = 120_000;

export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

export function baseUrl(): string {
  return inject('baseUrl');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

let shared: Promise<Browser> | null = null;

/**
 * The test file's one Chromium: launched on first use, closed after the file by tests/e2e/setup.ts. A launch
 * costs seconds of CPU, so every test of a file opens its pages in fresh contexts (fresh profiles) of this one.
 */
export function fileBrowser(): Promise<Browser> {
  shared ??= launchBrowser();
  return shared;
}

export async function closeFileBrowser(): Promise<void> {
  const browser = shared;
  shared = null;
  if (browser) await (await browser).close();
}

export interface AppPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[];
  /** Saves tests/e2e/artifacts/<name>.png and returns its path. */
  shot: (name: string) => Promise<string>;
  /** Opens another page in the same context (shares localStorage), recording its errors too. */
  newPage: (path?: string) => Promise<Page>;
  close: () => Promise<void>;
}

function watch(page: Page, errors: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
}

export async function openApp(
  pathAndQuery = '/',
  opts: {
    browser?: Browser;
    viewport?: { width: number; height: number };
    device?: BrowserContextOptions;
    /** A script every page of the context runs before the app's own (e.g. to count what the page sends). */
    init?: string;
    /** Another server than the suite's preview (e.g. one without the cross-origin isolation headers). */
    base?: string;
  } = {},
): Promise<AppPage> {
  const browser = opts.browser ?? (await fileBrowser());
  // device: a phone or tablet (isMobile, hasTouch, deviceScaleFactor and its viewport).
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 1000 }, ...opts.device });
  if (opts.init) await context.addInitScript(opts.init);
  // Waits are for events and states, and their timeouts only catch a hang: on a loaded machine a page can
  // take far longer than Playwright's default 30 s to reach a state it reaches in one on a quiet one.
  context.setDefaultTimeout(PATIENCE_MS);
  const consoleErrors: string[] = [];
  const page = await context.newPage();
  watch(page, consoleErrors);
  const base = opts.base ?? baseUrl();
  await page.goto(base + pathAndQuery);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    context,
    page,
    consoleErrors,
    shot: async (name) => {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    newPage: async (p = '/') => {
      const other = await context.newPage();
      watch(other, consoleErrors);
      await other.goto(base + p);
      return other;
    },
    close: () => context.close(),
  };
}
