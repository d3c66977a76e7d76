import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium from the operating system (Debian's `chromium` package), driven by
 * playwright-core: nothing downloads a browser. Each launch gets a fresh profile directory,
 * removed on close.
 */
export const CHROMIUM_PATH = process.env.JOURNEYLINE_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export interface Browser {
  context: BrowserContext;
  /** A new page that records console errors, page errors and failed requests in `problems`. */
  newPage(viewport?: { width: number; height: number }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  problems: string[];
}

export const LAPTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** `bypassCSP`: the page's Content-Security-Policy is not enforced, so a test sees what the page's own escaping does without it. */
export async function launchBrowser(options: { bypassCSP?: boolean } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
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
    viewport: LAPTOP,
    bypassCSP: options.bypassCSP ?? false,
    locale: 'en-GB',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // The persistent context opens with one blank page; pages are made per test.
  for (const page of context.pages()) await page.close();
  return {
    context,
    async newPage(viewport = LAPTOP) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
      });
      return { page, problems };
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
