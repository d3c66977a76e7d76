import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDashboard } from './support/dashboard-build';
import { chromiumAvailable, CHROMIUM_PATH, launchBrowser, type Browser } from './support/browser';
import { http, postAll, settled, startServer, TEST_ADMIN_KEY, type RunningServer } from './support/running-server';

/**
 * "What needs attention" over real HTTP on a small data set that reproduces the issue's cases:
 * the hotline's 14 answers, all detractors, against a company NPS of about +26; a touchpoint
 * whose CSAT is 20% on 60 answers; 3 angry answers; 40 mediocre ones. Then the overview page in
 * headless Chromium names the bad touchpoints, in Vietnamese and in English.
 */
const BASE = Date.now() - 5 * 86_400_000;
let seq = 0;
function feedback(touchpoint: string, kind: 'nps' | 'csat', score: number, scale: string, comment?: string) {
  seq += 1;
  return {
    eventId: `att-${seq}`,
    type: 'feedback.given',
    customerId: `c-att-${seq}`,
    occurredAt: new Date(BASE + seq * 60_000).toISOString(),
    data: { kind, score, scale, touchpoint, ...(comment ? { comment } : {}) },
  };
}
const times = <T>(count: number, make: () => T) => Array.from({ length: count }, make);

const EVENTS = [
  // the good store: NPS +50 on 100 answers, CSAT 85% on 100
  ...times(60, () => feedback('store:hcm-q1', 'nps', 10, '0-10')),
  ...times(30, () => feedback('store:hcm-q1', 'nps', 8, '0-10')),
  ...times(10, () => feedback('store:hcm-q1', 'nps', 5, '0-10')),
  ...times(85, () => feedback('store:hcm-q1', 'csat', 5, '1-5')),
  ...times(15, () => feedback('store:hcm-q1', 'csat', 2, '1-5')),
  // the hotline: 14 answers, all detractors
  ...times(14, () => feedback('hotline', 'nps', 2, '0-10', 'Chờ máy quá lâu')),
  // CSAT 20% on 60 answers
  ...times(12, () => feedback('app:checkout', 'csat', 5, '1-5')),
  ...times(48, () => feedback('app:checkout', 'csat', 1, '1-5', 'Thanh toán lỗi')),
  // 3 angry answers
  ...times(3, () => feedback('zalo-oa', 'nps', 0, '0-10', 'Tệ')),
  // 40 mediocre answers: NPS +20
  ...times(16, () => feedback('email:tet', 'nps', 9, '0-10')),
  ...times(16, () => feedback('email:tet', 'nps', 7, '0-10')),
  ...times(8, () => feedback('email:tet', 'nps', 6, '0-10')),
  // visits place the touchpoints in a stage of the heatmap
  {
    eventId: 'att-visit-1',
    type: 'touchpoint.visited',
    customerId: 'c-att-1',
    occurredAt: new Date(BASE).toISOString(),
    data: { touchpoint: 'app:checkout', channel: 'mobile', stage: 'purchase' },
  },
  {
    eventId: 'att-visit-2',
    type: 'touchpoint.visited',
    customerId: 'c-att-2',
    occurredAt: new Date(BASE).toISOString(),
    data: { touchpoint: 'store:hcm-q1', channel: 'store', stage: 'use' },
  },
];

const inBrowser = chromiumAvailable() || Boolean(process.env.CI);
const itInBrowser = inBrowser ? it : it.skip;
jest.setTimeout(120_000);

describe('what needs attention (e2e)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
    await postAll(server, EVENTS);
    await settled(server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  const attention = async (query = 'window=30d') => (await http(server, 'GET', `/api/v1/touchpoints/attention?${query}`)).body;

  it('lists the hotline first (14 detractors), then the CSAT of 20% on 60 answers; not 3 angry answers, not 40 mediocre ones', async () => {
    const { rows } = await attention();
    expect(rows.map((r: { touchpoint: string; metric: string }) => `${r.touchpoint} ${r.metric}`)).toEqual(['hotline nps', 'app:checkout csat']);
    const [hotline, checkout] = rows;
    // company NPS: (76 − 35) / 157 = +26.1; the hotline's interval tops out near −54
    expect(hotline).toMatchObject({
      touchpoint: 'hotline',
      metric: 'nps',
      value: -100,
      n: 14,
      low: -100,
      reference: 26.11,
      referenceKind: 'company',
      owner: null,
    });
    expect(hotline.high).toBeLessThan(-50);
    expect(hotline.target).toBeUndefined();
    expect(hotline.reason).toBe("NPS −100 (interval −100 to −53.7, 14 answers) is below the company's +26.1");
    // company CSAT on 1-5: 97 of 160 = 60.625%, shown to two decimals
    expect(checkout).toMatchObject({ touchpoint: 'app:checkout', metric: 'csat', scale: '1-5', value: 20, n: 60 });
    expect(checkout.reference).toBeCloseTo(60.62, 1);
    expect(checkout.high).toBeLessThan(35);
    expect(hotline.urgency).toBeGreaterThan(checkout.urgency);
  });

  it('links each row to its comments, which answer for the same window', async () => {
    const { rows } = await attention();
    const comments = await http(server, 'GET', rows[0].commentsUrl);
    expect(comments.status).toBe(200);
    expect(comments.body.touchpoint).toBe('hotline');
    expect(comments.body.items[0].comment).toBe('Chờ máy quá lâu');
  });

  it('the metrics themselves still show the hotline as not yet meaningful (n < 30): the attention list judges by the interval, not the count', async () => {
    const { body } = await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&window=30d');
    expect(body.rows.find((r: { key: string }) => r.key === 'hotline')).toMatchObject({ n: 14, meaningful: false });
  });

  it('answers an empty list for a window without answers, and 400 naming a bad window', async () => {
    expect((await attention('from=2020-01-01&to=2020-02-01')).rows).toEqual([]);
    const bad = await http(server, 'GET', '/api/v1/touchpoints/attention?window=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('window');
    expect((await http(server, 'GET', '/api/v1/touchpoints/attention?window=30d&extra=1')).status).toBe(400);
  });

  it('trends say up or down only when the change is significant', async () => {
    const { body } = await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&window=30d&compare=previous');
    // nothing in the previous window: no clear change, whatever the delta would be
    for (const row of body.rows) expect(row.trend.significance).toBe('no-clear-change');
    const worst = (await http(server, 'GET', '/api/v1/touchpoints/worst?metric=csat&window=30d')).body;
    expect(worst.rows[0].trend).toMatchObject({ significance: 'no-clear-change' });
  });

  it('the metric definitions carry the fixed colour bands', async () => {
    const { body } = await http(server, 'GET', '/api/v1/metrics/definitions');
    const bands = Object.fromEntries(body.metrics.map((d: { metric: string; bands: unknown }) => [d.metric, d.bands]));
    expect(bands).toMatchObject({ nps: { bad: 0, good: 30, on: 'value' }, csat: { bad: 70, good: 85 }, ttr: { bad: 24, good: 8 } });
  });

  describe('in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      if (!inBrowser) return;
      buildDashboard();
      fs.mkdirSync(path.join(__dirname, 'e2e', 'screenshots'), { recursive: true });
      browser = await launchBrowser();
      const { page } = await browser.newPage();
      await page.goto(`${server.url}/#key=${encodeURIComponent(TEST_ADMIN_KEY)}`);
      await page.locator('header .who').waitFor({ timeout: 15_000 });
      await page.close();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    itInBrowser(
      `the overview's attention list names the bad touchpoints, in Vietnamese and in English${inBrowser ? '' : ` (skipped: no Chromium at ${CHROMIUM_PATH})`}`,
      async () => {
        for (const [lang, title, below] of [
          ['vi', 'Cần chú ý', 'thấp hơn'],
          ['en', 'Needs attention', 'below'],
        ]) {
          const { page, problems } = await browser.newPage();
          await page.goto(`${server.url}/?lang=${lang}&window=30d`);
          const list = page.locator('section.attention');
          await list.locator('li').first().waitFor({ timeout: 40_000 });
          expect(await list.locator('h2').innerText()).toBe(title);
          const items = await list.locator('li').allInnerTexts();
          expect(items).toHaveLength(2);
          expect(items[0]).toContain('hotline');
          expect(items[0]).toContain('NPS');
          expect(items[0]).toContain(below);
          expect(items[1]).toContain('app:checkout');
          expect(items[1]).toContain('CSAT');
          expect(items.join(' ')).not.toContain('zalo-oa');
          expect(items.join(' ')).not.toContain('email:tet');
          // the link opens the Touchpoints page on that touchpoint and metric
          const href = await list.locator('li a').first().getAttribute('href');
          expect(href).toContain('/touchpoints?');
          expect(href).toContain('tp=hotline');
          expect(href).toContain('metric=nps');
          expect(problems).toEqual([]);
          await page.screenshot({ path: path.join(__dirname, 'e2e', 'screenshots', `attention-${lang}.png`), fullPage: true });
          await page.close();
        }
      },
    );

    itInBrowser('the Touchpoints heatmap draws in fixed colour bands, with no console error', async () => {
      const { page, problems } = await browser.newPage();
      await page.goto(`${server.url}/touchpoints?lang=en&window=30d&metric=csat`);
      await page.locator('#heatmap-title').waitFor({ timeout: 40_000 });
      await page.locator('section[aria-labelledby="heatmap-title"] [role="img"] svg').first().waitFor({ timeout: 40_000 });
      expect(await page.locator('section[aria-labelledby="heatmap-title"]').innerText()).toContain('fixed thresholds');
      // CSAT 20% is bad (below 70%), 85% good, whatever else the period holds
      const drawing = (await page.locator('section[aria-labelledby="heatmap-title"] [role="img"] svg').first().innerHTML()).toLowerCase();
      expect(drawing).toMatch(/#dc2626|rgb\(220,\s*38,\s*38\)/);
      expect(drawing).toMatch(/#16a34a|rgb\(22,\s*163,\s*74\)/);
      await page.screenshot({ path: path.join(__dirname, 'e2e', 'screenshots', 'attention-heatmap.png'), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
