import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DemoSeeder } from '../apps/server/src/dashboard/demo-seeder';
import { buildDashboard } from './support/dashboard-build';
import { chromiumAvailable, CHROMIUM_PATH, launchBrowser, PHONE, type Browser, type WatchedPage } from './support/browser';
import { http, settled, startServer, TEST_ADMIN_KEY, type RunningServer } from './support/running-server';
import { npsAnswer } from './support/wire-events';

/**
 * The dashboard in headless Chromium against the real server, on demo data the server seeds
 * itself (JOURNEYLINE_DEMO_CUSTOMERS): every page loads without a console error, shows what the
 * API says, keeps its filters in the URL and speaks Vietnamese. Screenshots of every page land
 * in test/e2e/screenshots/ (git-ignored); the README's copies in docs/ are refreshed by hand
 * from there.
 */
const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(__dirname, 'e2e', 'screenshots');
const DEMO_CUSTOMERS = 1000;

// In CI (.ci/run installs Chromium) the tier always runs; elsewhere it skips, saying why by name.
const inBrowser = chromiumAvailable() || Boolean(process.env.CI);
const describeInBrowser = inBrowser ? describe : describe.skip;
jest.setTimeout(30_000);

describeInBrowser(
  inBrowser
    ? 'dashboard in headless Chromium (e2e)'
    : `dashboard in headless Chromium (e2e) — skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
  () => {
    let server: RunningServer;
    let browser: Browser;
    const opened: WatchedPage[] = [];

    beforeAll(async () => {
      // The page the server serves is the one built from the current sources.
      buildDashboard();
      fs.mkdirSync(SHOTS, { recursive: true });
      process.env.JOURNEYLINE_DEMO_CUSTOMERS = String(DEMO_CUSTOMERS);
      try {
        server = await startServer();
      } finally {
        delete process.env.JOURNEYLINE_DEMO_CUSTOMERS;
      }
      await server.app.get(DemoSeeder).done;
      await settled(server, 30_000);
      // Time-based churn rules flag customers once the process has looked at the seeded journeys.
      const deadline = Date.now() + 20_000;
      while ((await http(server, 'GET', '/api/v1/churn-risks?limit=1')).body.items.length === 0 && Date.now() < deadline) await sleep(100);
      await settled(server, 30_000);
      browser = await launchBrowser();
      await signIn(browser, server);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    afterEach(async () => {
      for (const { page } of opened.splice(0)) await page.close();
    });

    async function open(pathname: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
      const watched = await browser.newPage(viewport);
      opened.push(watched);
      await watched.page.goto(server.url + pathname);
      await ready(watched.page);
      return watched;
    }

    /** The page has rendered a heading and nothing is still loading (locators: the page's CSP allows no evaluated strings). */
    async function ready(page: Page): Promise<void> {
      try {
        await page.locator('main h1').first().waitFor({ timeout: 15_000 });
        await page.locator('main [role="status"]').first().waitFor({ state: 'detached', timeout: 15_000 });
      } catch (error) {
        await page.screenshot({ path: path.join(SHOTS, 'not-ready.png'), fullPage: true });
        throw new Error(`${page.url()} did not finish loading (see test/e2e/screenshots/not-ready.png): ${(error as Error).message}`);
      }
      await page.waitForLoadState('networkidle');
    }

    async function shoot(page: Page, name: string): Promise<void> {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    }

    it('serves the page at / and answers unknown API paths with JSON, not the page', async () => {
      const root = await fetch(`${server.url}/?lang=vi`);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toContain('text/html');
      const deepLink = await fetch(`${server.url}/customers/c-000001?lang=vi`);
      expect(await deepLink.text()).toContain('<div id="app">');
      const unknownApi = await http(server, 'GET', '/api/v1/nothing-here');
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.body.statusCode).toBe(404);
      expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    });

    it('answers the heatmap and the comments from the read models', async () => {
      const byStage = (await http(server, 'GET', '/api/v1/touchpoints/by-stage?metric=nps&window=365d')).body;
      expect(byStage.rows.find((r: { touchpoint: string }) => r.touchpoint === 'web:checkout')).toMatchObject({ homeStage: 'purchase', channel: 'web' });
      const metrics = (await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&window=365d')).body;
      for (const row of metrics.rows) {
        expect(byStage.rows.find((r: { touchpoint: string }) => r.touchpoint === row.key)).toMatchObject({
          value: row.value,
          n: row.n,
          meaningful: row.meaningful,
        });
      }
      const comments = (await http(server, 'GET', '/api/v1/touchpoints/hotline/comments?limit=5')).body;
      expect(comments.items).toHaveLength(5);
      const times = comments.items.map((c: { occurredAt: string }) => c.occurredAt);
      expect(times).toEqual([...times].sort().reverse());
      for (const comment of comments.items.slice(0, 2)) {
        const journey = (await http(server, 'GET', `/api/v1/customers/${comment.customerId}/journey`)).body;
        expect(journey.feedback.find((f: { eventId: string }) => f.eventId === comment.eventId)).toMatchObject({
          touchpoint: 'hotline',
          comment: comment.comment,
        });
        expect(comment.customerName).toBe(journey.profile.name);
      }
      expect((await http(server, 'GET', '/api/v1/touchpoints/hotline/comments?limit=0')).status).toBe(400);
    });

    it('each page loads with no console error (laptop screenshots)', async () => {
      const pages: [string, string][] = [
        ['overview', '/?lang=en&window=90d'],
        ['touchpoints', '/touchpoints?lang=en&window=365d&metric=nps&tp=web%3Acheckout'],
        ['funnel', '/funnel?lang=en&window=180d&split=segment'],
        ['customers', '/customers?lang=en'],
        ['customer-journey', '/customers/c-000003?lang=en'],
        ['churn-risks', '/churn-risks?lang=en'],
        ['overview-vi', '/?lang=vi&window=90d'],
      ];
      for (const [name, pathname] of pages) {
        const { page, problems } = await open(pathname);
        await shoot(page, name);
        expect({ page: name, problems }).toEqual({ page: name, problems: [] });
        expect(await page.locator('main [role="alert"]').count()).toBe(0);
      }
      const kpis = await (await open('/?lang=en&window=90d')).page.locator('.kpi').count();
      // NPS, CSAT, CES, review rating, TTR, retention, churn
      expect(kpis).toBe(7);
    }, 60_000);

    it('works at phone width (phone screenshot)', async () => {
      const { page, problems } = await open('/?lang=vi&window=90d', PHONE);
      await page.screenshot({ path: path.join(SHOTS, 'overview-phone.png') });
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
    });

    it("the worst-touchpoints table's first row is the API's worst touchpoint", async () => {
      const api = (await http(server, 'GET', '/api/v1/touchpoints/worst?metric=nps&window=365d&limit=20')).body;
      expect(api.rows.length).toBeGreaterThan(0);
      const { page, problems } = await open('/touchpoints?lang=en&window=365d&metric=nps');
      const rows = page.locator('[data-testid="worst-table"] tbody tr');
      await expect(rows.count()).resolves.toBe(api.rows.length);
      expect(await rows.first().getAttribute('data-touchpoint')).toBe(api.rows[0].key);
      const keys = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-touchpoint')));
      expect(keys).toEqual(api.rows.map((r: { key: string }) => r.key));
      // Clicking it opens its detail: trend, distribution and comments.
      await rows.first().locator('a').click();
      await page.waitForURL(/tp=/);
      await page.locator('[data-testid="touchpoint-detail"]').waitFor();
      await ready(page);
      expect(new URL(page.url()).searchParams.get('tp')).toBe(api.rows[0].key);
      expect(problems).toEqual([]);
    });

    it('the touchpoint view says why its score changed: mix, rate, the groups that moved it and the answers behind it (vi)', async () => {
      const worst = (await http(server, 'GET', '/api/v1/touchpoints/worst?metric=nps&window=90d&limit=1')).body.rows[0].key as string;
      const tp = encodeURIComponent(worst);
      const api = (await http(server, 'GET', `/api/v1/metrics/explain?metric=nps&touchpoint=${tp}&by=channel&limit=5&window=90d`)).body;
      // the demo's 330 days hold both windows: there is a change to explain
      expect(api.change).not.toBeNull();
      const { page, problems } = await open(`/touchpoints?lang=vi&window=90d&metric=nps&tp=${tp}`);
      const panel = page.locator('[data-testid="explain-change"]');
      await panel.locator('[data-testid="explain-groups"]').waitFor();
      expect(await panel.getByRole('heading', { level: 3 }).first().textContent()).toBe('Vì sao thay đổi?');
      expect(await panel.getByText('Cơ cấu (ai trả lời)').count()).toBe(1);
      const keys = await panel.locator('[data-testid="explain-groups"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
      expect(keys).toEqual(api.groups.slice(0, 6).map((g: { key: string }) => g.key));
      await expect(panel.locator('[data-testid="explain-answers"] li').count()).resolves.toBe(api.answers.length);
      for (const [i, answer] of api.answers.entries()) {
        const link = panel.locator('[data-testid="explain-answers"] li').nth(i).locator('a');
        expect(await link.getAttribute('href')).toContain(`/customers/${encodeURIComponent(answer.customerId)}`);
      }
      // split by stage: the table follows
      await panel.locator('select[name="explainBy"]').selectOption('stage');
      await panel.locator('[data-testid="explain-groups"] th', { hasText: 'Giai đoạn' }).waitFor();
      await shoot(page, 'touchpoint-explain');
      expect(problems).toEqual([]);
    });

    it('the overview and touchpoints pages say which version of the metric definitions their numbers use (en, vi)', async () => {
      const stated = (await http(server, 'GET', '/api/v1/touchpoints/by-stage?metric=nps&window=90d')).body.definitions.version as number;
      expect((await http(server, 'GET', '/api/v1/definitions/metrics')).body.version).toBe(stated);
      for (const [pathname, label] of [
        ['/touchpoints?lang=en&window=90d&metric=nps', `definitions v${stated}`],
        ['/touchpoints?lang=vi&window=90d&metric=csat', `định nghĩa v${stated}`],
        ['/?lang=vi&window=90d', `định nghĩa v${stated}`],
        ['/?lang=en&window=90d', `definitions v${stated}`],
      ]) {
        const { page, problems } = await open(pathname);
        const note = page.locator('.page-head [data-testid="definitions-version"]');
        expect([pathname, await note.textContent()]).toEqual([pathname, label]);
        expect(await note.getAttribute('title')).toContain(String(stated));
        expect(problems).toEqual([]);
      }
    });

    it('touchpoints: stage, channel and one portrait filter cut the worst table and the touchpoint × stage table', async () => {
      const { page, problems } = await open('/touchpoints?lang=en&window=365d&metric=nps');
      const filters = page.locator('[data-testid="cut-filters"]');
      const keysOf = (table: string, attribute: string) =>
        page.locator(`[data-testid="${table}"] tbody tr`).evaluateAll((trs, name) => trs.map((tr) => tr.getAttribute(name as string)), attribute);
      // Unfiltered, the touchpoint × stage table is the API's by=touchpoint,stage.
      const crossed = (await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint,stage&window=365d')).body;
      expect(crossed.rows.length).toBeGreaterThan(0);
      expect(new Set(await keysOf('cut-table', 'data-key'))).toEqual(new Set(crossed.rows.map((r: { key: string }) => r.key)));
      await filters.locator('select[name="stage"]').selectOption('use');
      await page.waitForURL(/stage=use/);
      await ready(page);
      const stages = await keysOf('cut-table', 'data-stage');
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set(['use']));
      await filters.locator('select[name="portraitField"]').selectOption('segment');
      await filters.locator('input[name="portraitValue"]').fill('SME');
      await filters.locator('input[name="portraitValue"]').press('Enter');
      await page.waitForURL(/segment=SME/);
      await ready(page);
      const worst = (await http(server, 'GET', '/api/v1/touchpoints/worst?metric=nps&window=365d&limit=20&stage=use&segment=SME')).body;
      expect(await keysOf('worst-table', 'data-touchpoint')).toEqual(worst.rows.map((r: { key: string }) => r.key));
      // Another portrait field moves the value there: never two portrait filters at once.
      await filters.locator('select[name="portraitField"]').selectOption('ageBand');
      await page.waitForURL(/ageBand=SME/);
      await ready(page);
      const params = new URL(page.url()).searchParams;
      expect(['segment', 'region', 'ageBand', 'gender', 'acquisitionChannel'].filter((name) => params.has(name))).toEqual(['ageBand']);
      expect(problems).toEqual([]);
      // Vietnamese at 360 px: the filters and the table fit the width.
      const phone = await open('/touchpoints?lang=vi&window=365d&metric=csat&stage=use&segment=SME', { width: 360, height: 800 });
      await phone.page.getByRole('heading', { name: 'Điểm chạm × giai đoạn', exact: true }).waitFor();
      await expect(phone.page.getByLabel('Chân dung khách hàng').inputValue()).resolves.toBe('segment');
      await shoot(phone.page, 'touchpoints-filtered-phone');
      const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      expect(phone.problems).toEqual([]);
    }, 60_000);

    it('a filter changes the URL and the list', async () => {
      const { page, problems } = await open('/customers?lang=en');
      const before = await page.locator('[data-testid="customer-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer')));
      await page.getByLabel('Stage').selectOption('use');
      await page.waitForURL(/stage=use/);
      await ready(page);
      const stages = await page
        .locator('[data-testid="customer-table"] tbody tr [data-stage]')
        .evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-stage')));
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set(['use']));
      const after = await page.locator('[data-testid="customer-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer')));
      expect(after).not.toEqual(before);
      const api = (await http(server, 'GET', '/api/v1/customers?stage=use&limit=25')).body;
      expect(after).toEqual(api.items.map((c: { customerId: string }) => c.customerId));
      // The URL is the view: opening it afresh shows the same list.
      const shared = await open(new URL(page.url()).pathname + new URL(page.url()).search);
      const again = await shared.page
        .locator('[data-testid="customer-table"] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer')));
      expect(again).toEqual(after);
      expect(problems).toEqual([]);
    });

    it('the customer journey view shows the touchpoints of a known customer in order', async () => {
      let customerId = '';
      let expected: string[] = [];
      for (let i = 1; i <= 50 && expected.length < 5; i++) {
        const id = `c-${String(i).padStart(6, '0')}`;
        const journey = (await http(server, 'GET', `/api/v1/customers/${id}/journey`)).body;
        const touchpoints = journey.stages.flatMap((s: { touchpoints: { touchpoint: string }[] }) => s.touchpoints.map((t) => t.touchpoint));
        if (touchpoints.length > expected.length) [customerId, expected] = [id, touchpoints];
      }
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const { page, problems } = await open(`/customers/${customerId}?lang=vi`);
      await page.locator('[data-testid="event-table"]').waitFor();
      const shown = await page.locator('[data-testid="journey-touchpoint"]').evaluateAll((items) => items.map((li) => li.getAttribute('data-touchpoint')));
      expect(shown).toEqual(expected);
      expect(await page.locator('[data-testid="journey-timeline"] circle').count()).toBeGreaterThanOrEqual(expected.length);
      expect(problems).toEqual([]);
    });

    it('while an as-of answer is replayed the page says why it takes seconds; a read for now just loads (vi)', async () => {
      const watched = await browser.newPage();
      opened.push(watched);
      const { page } = watched;
      // the funnel's answers held back until released, as a replay of a long log would keep them
      let held: Promise<void> = Promise.resolve();
      const holdBack = (): (() => void) => {
        let release!: () => void;
        held = new Promise<void>((resolve) => (release = resolve));
        return release;
      };
      await page.route(
        (url) => url.pathname === '/api/v1/funnel',
        async (route) => {
          await held;
          await route.continue();
        },
      );
      const status = page.locator('main [role="status"]');
      let release = holdBack();
      await page.goto(`${server.url}/funnel?lang=vi&window=365d&asOf=2020-01-01`);
      await status.getByText('Đang dựng lại số liệu như Journeyline đã biết lúc đó').waitFor();
      release();
      await ready(page);
      await page.getByText('Như Journeyline đã biết lúc').waitFor();
      // without asOf the same wait is a plain "loading"
      release = holdBack();
      await page.goto(`${server.url}/funnel?lang=vi&window=365d`);
      await status.getByText('Đang tải…').first().waitFor();
      expect(await page.getByText('Đang dựng lại số liệu').count()).toBe(0);
      release();
      await ready(page);
      expect(watched.problems).toEqual([]);
    });

    it('"as known on" a day: the journey as Journeyline knew it then (vi); before the customer was recorded it is unknown', async () => {
      // two days on: midnight of that day in Asia/Ho_Chi_Minh is after the demo was recorded whatever the hour
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const { page, problems } = await open(`/customers/c-000003?lang=vi&asOf=${tomorrow}`);
      await page.locator('[data-testid="event-table"]').waitFor();
      await page.getByText('Như Journeyline đã biết lúc').waitFor();
      expect(await page.locator('[data-testid="as-of"] input[type="date"]').inputValue()).toBe(tomorrow);
      const before = await open('/customers/c-000003?lang=vi&asOf=2020-01-01');
      await before.page.locator('[role="alert"], .error').first().waitFor();
      await before.page.getByRole('button', { name: 'Hiện tại' }).click();
      await before.page.locator('[data-testid="event-table"]').waitFor();
      expect(before.page.url()).not.toContain('asOf=');
      // the funnel as of a day before the demo was recorded: nobody yet (replayed from the log), and it says so
      const funnel = await open('/funnel?lang=en&window=365d&asOf=2020-01-01');
      await funnel.page.getByText('As Journeyline knew it at').waitFor();
      expect(await funnel.page.locator('ol.funnel').count()).toBe(0);
      // its last 365 days end on the day asked, as the API counts them (not today)
      expect(await funnel.page.locator('.period-note').textContent()).toContain('Showing 2 Jan 2019 – 1 Jan 2020');
      // a day at a time, across a year's end, the time of day kept
      await funnel.page.getByRole('button', { name: 'Day after ▶' }).click();
      await funnel.page.waitForURL((url) => url.searchParams.get('asOf') === '2020-01-02');
      await funnel.page.getByText('Showing 3 Jan 2019 – 2 Jan 2020').waitFor();
      await funnel.page.getByRole('button', { name: '◀ Day before' }).click();
      await funnel.page.getByRole('button', { name: '◀ Day before' }).click();
      await funnel.page.waitForURL((url) => url.searchParams.get('asOf') === '2019-12-31');
      await funnel.page.locator('[data-testid="as-of"] input[type="time"]').fill('09:30:00');
      await funnel.page.waitForURL((url) => url.searchParams.get('asOf') === '2019-12-31T09:30:00');
      await funnel.page.getByRole('button', { name: 'Day after ▶' }).click();
      await funnel.page.waitForURL((url) => url.searchParams.get('asOf') === '2020-01-01T09:30:00');
      await funnel.page.getByText('As Journeyline knew it at').waitFor();
      expect(funnel.problems).toEqual([]);
      // a moment the page cannot read (UTC with a Z, and markup): it says so, as text, and shows now
      const unreadable = await open(`/funnel?lang=en&window=365d&asOf=${encodeURIComponent('2026-12-01T10:00:00Z<b>x</b>')}`);
      const notice = unreadable.page.locator('[data-testid="as-of-unreadable"]');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('"as known on" 2026-12-01T10:00:00Z<b>x</b>, which is neither a day');
      expect(await notice.locator('b').count()).toBe(0);
      await unreadable.page.locator('ol.funnel').waitFor();
      expect(await unreadable.page.getByText('As Journeyline knew it at').count()).toBe(0);
      expect(unreadable.problems).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('"as known on" a moment: the overview\'s attention list as it was before late answers were recorded (en, vi); explain links keep it', async () => {
      const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
      const kiosk = { touchpoint: 'late:kiosk', channel: 'store', stage: 'use' };
      const answer = (eventId: string, customerId: string, score: number, occurredAt: string) => npsAnswer(eventId, customerId, kiosk, score, occurredAt);
      const customers = Array.from({ length: 40 }, (_, i) => `c-${String(i + 1).padStart(6, '0')}`);
      const onTime = customers.slice(0, 5).map((c) => answer(`kiosk-on-time-${c}`, c, 10, daysAgo(4)));
      expect((await http(server, 'POST', '/api/v1/events/batch', { events: onTime })).status).toBe(200);
      // the moment, to the second (UTC: the pages below read it in tz=UTC), strictly between the two posts
      await sleep(1_100);
      const moment = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19);
      await sleep(1_100);
      // late: recorded after the moment, though they occurred days before it
      const late = customers.map((c) => answer(`kiosk-late-${c}`, c, 0, daysAgo(3)));
      expect((await http(server, 'POST', '/api/v1/events/batch', { events: late })).status).toBe(200);
      await settled(server, 30_000);
      const attentionOf = async (query: string) =>
        ((await http(server, 'GET', `/api/v1/touchpoints/attention?window=90d&tz=UTC${query}`)).body.rows as { touchpoint: string; metric: string }[]).map(
          (r) => `${r.touchpoint} ${r.metric}`,
        );
      const now = await attentionOf('');
      const then = await attentionOf(`&asOf=${moment}`);
      expect(now).toContain('late:kiosk nps');
      expect(then).not.toContain('late:kiosk nps');
      const shownRows = (page: Page) =>
        page.locator('.attention li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-touchpoint')} ${li.getAttribute('data-metric')}`));

      for (const [lang, note] of [
        ['en', 'As Journeyline knew it at'],
        ['vi', 'Như Journeyline đã biết lúc'],
      ]) {
        const { page, problems } = await open(`/?lang=${lang}&window=90d&tz=UTC`);
        expect(await shownRows(page)).toEqual(now);
        const asked: string[] = [];
        page.on('request', (request) => asked.push(request.url()));
        const control = page.locator('[data-testid="as-of"]');
        await control.locator('input[type="date"]').fill(moment.slice(0, 10));
        await page.waitForURL(/asOf=/);
        await control.locator('input[type="time"]').fill(moment.slice(11));
        await page.waitForURL((url) => url.searchParams.get('asOf') === moment);
        await ready(page);
        await page.getByText(note).waitFor();
        expect(await shownRows(page)).toEqual(then);
        // the tiles read as of the moment too
        const tiles = asked
          .map((url) => new URL(url))
          .filter((url) => url.pathname === '/api/v1/metrics' && url.searchParams.get('compare') === 'previous' && url.searchParams.get('asOf') === moment);
        expect(tiles.map((url) => url.searchParams.get('metric'))).toEqual(expect.arrayContaining(['nps', 'csat', 'ces']));
        await shoot(page, `overview-as-of-${lang}`);
        expect({ lang, problems }).toEqual({ lang, problems: [] });
      }

      // the touchpoints page as of the moment: "why did it change?" links each answer to the journey as of the same moment
      const { page, problems } = await open(`/touchpoints?lang=en&window=90d&tz=UTC&metric=nps&tp=hotline&asOf=${moment}`);
      const links = page.locator('[data-testid="explain-change"] [data-testid="explain-answers"] a');
      await links.first().waitFor();
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        expect(new URL(href!, server.url).searchParams.get('asOf')).toBe(moment);
      }
      expect(await page.locator('[data-testid="as-of"] input[type="time"]').inputValue()).toBe(moment.slice(11));
      expect(problems).toEqual([]);
    }, 60_000);

    it('churn-risk reasons link to their evidence events', async () => {
      const flagged = (await http(server, 'GET', '/api/v1/churn-risks?limit=1')).body.items[0];
      const { page, problems } = await open(`/customers/${flagged.customerId}?lang=en`);
      await page.locator('[data-testid="event-table"]').waitFor();
      const evidence = flagged.flags[0].evidence[0];
      await page.locator(`[data-testid="churn-reasons"] a[href="#ev-${evidence}"]`).first().click();
      await expect(page.locator(`#ev-${cssEscape(evidence)}`).getAttribute('class')).resolves.toContain('highlight');
      expect(problems).toEqual([]);
    });

    it('the funnel filters by touchpoint and stage from the page, as the API counts them', async () => {
      const { page, problems } = await open('/funnel?lang=en&window=180d');
      const cohort = async () => Number((await page.locator('article.funnel-card').getAttribute('aria-label'))!.replace(/\D/g, ''));
      await page.locator('article.funnel-card').waitFor();
      const everyone = await cohort();
      const filters = page.locator('[data-testid="cut-filters"]');
      // the touchpoints come from the catalog (preact sets an option's value as a property: matched by its text)
      await filters.locator('select[name="touchpoint"] option', { hasText: /^hotline$/ }).waitFor({ state: 'attached' });
      await filters.locator('select[name="touchpoint"]').selectOption('hotline');
      await page.waitForURL(/touchpoint=hotline/);
      const api = (await http(server, 'GET', '/api/v1/funnel?window=180d&touchpoint=hotline')).body;
      await page.locator(`article.funnel-card[aria-label$="Cohort: ${api.groups[0].cohort} customers"]`).waitFor();
      expect(api.groups[0].cohort).toBeLessThan(everyone);
      expect(await cohort()).toBe(api.groups[0].cohort);
      await filters.locator('select[name="stage"]').selectOption('advocacy');
      await page.waitForURL(/stage=advocacy/);
      const both = (await http(server, 'GET', '/api/v1/funnel?window=180d&touchpoint=hotline&stage=advocacy')).body;
      await page.locator(`article.funnel-card[aria-label$="Cohort: ${both.groups[0].cohort} customers"]`).waitFor();
      expect(both.groups[0].cohort).toBeLessThan(api.groups[0].cohort);
      expect(problems).toEqual([]);
    });

    it('the language switch shows Vietnamese: Nhận biết', async () => {
      const { page, problems } = await open('/funnel?lang=en&window=180d');
      expect(await page.getByText('Awareness').count()).toBeGreaterThan(0);
      expect(await page.getByText('Nhận biết').count()).toBe(0);
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      await page.waitForURL(/lang=vi/);
      await page.locator('ol.funnel').getByText('Nhận biết').first().waitFor();
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe('vi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phễu hành trình khách hàng');
      expect(problems).toEqual([]);
    });

    it('an API error shows its message, never a blank page', async () => {
      const { page } = await open('/customers?lang=en&stage=loyal');
      const alert = page.locator('main [role="alert"]');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('stage must be one of');
    });
  },
);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function cssEscape(id: string): string {
  return id.replace(/([^a-zA-Z0-9_-])/g, '\\$1');
}

/** Signs the browser in as the admin through the first-start link's form (#key=...): its session cookie serves every later page. */
export async function signIn(browser: Browser, server: RunningServer): Promise<void> {
  const { page } = await browser.newPage();
  try {
    await page.goto(`${server.url}/#key=${encodeURIComponent(TEST_ADMIN_KEY)}`);
    await page.locator('header .who').waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
}
