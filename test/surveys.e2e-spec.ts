import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SurveyLinkSigner } from '@journeyline/surveys';
import { chromiumAvailable, CHROMIUM_PATH } from './support/browser';
import { runCli } from './support/cli';
import { bearer, http, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * Hosted surveys end to end: surveys defined and versioned over the admin API, signed links, the
 * survey page answered in real Chromium (360 px and 1366 px, Vietnamese and English, with and
 * without JavaScript), the answer in the customer's journey and the metrics with its survey and
 * version, one answer per link (a second within the window replaces the first, after it the link
 * is refused), refused links as pages, the JSON endpoint for other tools, response rates, the CLI.
 */
const inBrowser = chromiumAvailable() || Boolean(process.env.CI);
const itInBrowser = inBrowser ? it : it.skip;
jest.setTimeout(120_000);

const NPS = {
  surveyId: 'nps-hotline',
  metric: 'nps',
  touchpoint: 'hotline',
  channel: 'phone',
  stage: 'use',
  question: { vi: 'Bạn có sẵn lòng giới thiệu chúng tôi?', en: 'How likely are you to recommend us?' },
  followUp: { vi: 'Vì sao bạn chọn điểm này?', en: 'Why this score?' },
  thanks: { vi: 'Cảm ơn bạn đã trả lời!', en: 'Thanks for answering!' },
};
const QUESTION_V2 = { vi: 'Bạn có sẵn lòng giới thiệu tổng đài của chúng tôi?', en: 'How likely are you to recommend our hotline?' };
/** Public pages are rate-limited per address; the tests come from one address. */
const ENV = { JOURNEYLINE_RATE_LIMIT_PUBLIC_PER_ADDRESS: '100000' };

async function makeKey(server: RunningServer, scopes: string[]): Promise<string> {
  const made = await http(server, 'POST', '/api/v1/keys', { name: `key ${scopes.join('+')}`, scopes });
  expect(made.status).toBe(201);
  return made.body.key;
}

async function link(server: RunningServer, surveyId: string, body: Record<string, unknown>): Promise<{ url: string; token: string; linkId: string }> {
  const made = await http(server, 'POST', `/api/v1/surveys/${surveyId}/links`, body);
  expect([made.status, made.text]).toEqual([201, expect.any(String)]);
  return made.body;
}

/** A plain form post, as a browser without JavaScript sends it. */
async function postForm(server: RunningServer, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function page(server: RunningServer, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + url, { headers });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The NPS row of a touchpoint over the last week (zeros before any answer). */
async function npsRow(server: RunningServer, touchpoint = 'hotline'): Promise<{ n: number; promoters: number; detractors: number; value: number | null }> {
  const metrics = await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&window=7d&minSample=1');
  expect(metrics.status).toBe(200);
  return metrics.body.rows.find((r: { key: string }) => r.key === touchpoint) ?? { n: 0, promoters: 0, detractors: 0, value: null };
}

async function journeyFeedback(server: RunningServer, customerId: string) {
  const journey = await http(server, 'GET', `/api/v1/customers/${encodeURIComponent(customerId)}/journey`);
  expect(journey.status).toBe(200);
  return journey.body.feedback as {
    eventId: string;
    kind: string;
    score?: number;
    comment?: string;
    survey?: { surveyId: string; version: number; linkId?: string };
  }[];
}

describe('hosted surveys (e2e)', () => {
  let server: RunningServer;
  const shots = tempDataDir('journeyline-survey-shots-');

  beforeAll(async () => {
    server = await startServer(ENV);
  });
  afterAll(async () => {
    await server?.stop();
    // JOURNEYLINE_KEEP_SHOTS=1 keeps the screenshots to look at (their folder is printed)
    if (process.env.JOURNEYLINE_KEEP_SHOTS) process.stderr.write(`survey screenshots: ${shots}\n`);
    else fs.rmSync(shots, { recursive: true, force: true });
  });

  it('defines a survey, versions it on a second POST, lists it, and names every bad field', async () => {
    expect((await http(server, 'POST', '/api/v1/surveys', NPS)).body).toEqual({ surveyId: 'nps-hotline', version: 1 });
    const again = await http(server, 'POST', '/api/v1/surveys', { ...NPS, question: QUESTION_V2 });
    expect([again.status, again.body]).toEqual([201, { surveyId: 'nps-hotline', version: 2 }]);
    const list = await http(server, 'GET', '/api/v1/surveys');
    expect(list.body.items).toEqual([expect.objectContaining({ surveyId: 'nps-hotline', version: 2, scale: '0-10', question: QUESTION_V2 })]);
    const one = await http(server, 'GET', '/api/v1/surveys/nps-hotline');
    expect(one.body.versions.map((v: { version: number; question: unknown }) => [v.version, v.question])).toEqual([
      [1, NPS.question],
      [2, QUESTION_V2],
    ]);
    expect((await http(server, 'GET', '/api/v1/surveys/nobody')).status).toBe(404);

    const bad = await http(server, 'POST', '/api/v1/surveys', {
      metric: 'nps',
      scale: '1-5',
      touchpoint: '',
      channel: 'phone',
      stage: 'later',
      question: { vi: 'x' },
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'question.en', 'scale', 'stage', 'touchpoint']);
    expect(bad.body.errors.every((e: { reason: string }) => e.reason.length > 0)).toBe(true);
    expect((await http(server, 'POST', '/api/v1/surveys/nobody/links', { customerId: 'c-1' })).status).toBe(404);
    const badLink = await http(server, 'POST', '/api/v1/surveys/nps-hotline/links', { customerId: 'c-1', ttlDays: 0, lang: 'fr' });
    expect(badLink.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['lang', 'ttlDays']);
  });

  itInBrowser(
    'is answered in real Chromium at 360 px and 1366 px, in vi and en, with and without JavaScript; the answer is in the journey and the metrics',
    async () => {
      const cases = [
        { width: 360, height: 740, lang: 'vi' as const, linkLang: 'vi' as const, javaScript: false, score: 9 },
        { width: 360, height: 740, lang: 'en' as const, linkLang: 'en' as const, javaScript: true, score: 10 },
        // no language in the link: the browser's (en-GB) is used
        { width: 1366, height: 900, lang: 'en' as const, linkLang: undefined, javaScript: true, score: 6 },
        { width: 1366, height: 900, lang: 'vi' as const, linkLang: 'vi' as const, javaScript: false, score: 8 },
      ];
      const browser: Browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      try {
        for (const c of cases) {
          const customerId = `c-web-${c.width}-${c.lang}`;
          const made = await link(server, 'nps-hotline', { customerId, ...(c.linkLang ? { lang: c.linkLang } : {}) });
          const context = await browser.newContext({ viewport: { width: c.width, height: c.height }, locale: 'en-GB', javaScriptEnabled: c.javaScript });
          const tab: Page = await context.newPage();
          const problems: string[] = [];
          tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
          tab.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
          const opened = await tab.goto(server.url + made.url);
          expect(opened?.status()).toBe(200);
          const where = `${c.width} px ${c.lang}`;
          expect([where, await tab.getAttribute('html', 'lang')]).toEqual([where, c.lang]);
          expect([where, (await tab.locator('legend').textContent())?.trim()]).toEqual([where, QUESTION_V2[c.lang]]);
          expect([where, await tab.locator('label[for=comment]').textContent()]).toEqual([where, expect.stringContaining(NPS.followUp[c.lang])]);
          // every score 0-10 is on screen, none past the right edge; the page does not scroll sideways
          const labels = tab.locator('.scale label');
          expect(await labels.count()).toBe(11);
          for (let i = 0; i < 11; i++) {
            const box = (await labels.nth(i).boundingBox())!;
            expect([where, i, box.x >= 0, box.x + box.width <= c.width, box.width >= 24, box.height >= 24]).toEqual([where, i, true, true, true, true]);
          }
          const form = (await tab.locator('form').boundingBox())!;
          expect([where, form.x + form.width <= c.width]).toEqual([where, true]);
          if (c.javaScript) expect([where, await tab.evaluate('document.documentElement.scrollWidth <= window.innerWidth')]).toEqual([where, true]);
          await tab.screenshot({ path: path.join(shots, `ask-${c.width}-${c.lang}.png`), fullPage: true });

          if (c.width === 1366 && c.javaScript) {
            // by keyboard alone: the scale is one radio group, its choice moved with the arrow keys
            await tab.focus('input[name=score][value="0"]');
            for (let i = 0; i < c.score; i++) await tab.keyboard.press('ArrowRight');
          } else {
            await labels.nth(c.score).click();
          }
          expect(await tab.locator(`input[name=score][value="${c.score}"]`).isChecked()).toBe(true);
          await tab.fill('textarea[name=comment]', `Nhân viên hỗ trợ nhanh (${where})`);
          const [thanks] = await Promise.all([tab.waitForNavigation(), tab.click('button[type=submit]')]);
          expect([where, thanks?.status()]).toEqual([where, 200]);
          expect([where, (await tab.locator('h1').textContent())?.trim()]).toEqual([where, NPS.thanks[c.lang]]);
          await tab.screenshot({ path: path.join(shots, `thanks-${c.width}-${c.lang}.png`) });
          expect(fs.statSync(path.join(shots, `thanks-${c.width}-${c.lang}.png`)).size).toBeGreaterThan(1000);
          expect([where, problems]).toEqual([where, []]);
          await context.close();

          const feedback = await journeyFeedback(server, customerId);
          expect(feedback).toEqual([
            expect.objectContaining({
              kind: 'nps',
              score: c.score,
              comment: `Nhân viên hỗ trợ nhanh (${where})`,
              survey: { surveyId: 'nps-hotline', version: 2, linkId: made.linkId },
            }),
          ]);
        }
      } finally {
        await browser.close();
      }
      await settled(server);
      // 9 and 10 promoters, 8 passive, 6 detractor: (2 - 1) / 4 = 25 points
      expect(await npsRow(server)).toMatchObject({ key: 'hotline', n: 4, value: 25 });
    },
  );

  it("the page is small, has no script, shows a survey's text as text, and is built for screen readers and keyboards", async () => {
    const made = await link(server, 'nps-hotline', { customerId: 'c-a11y', lang: 'en' });
    const answer = await page(server, made.url);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('text/html');
    expect(Buffer.byteLength(answer.text)).toBeLessThan(30 * 1024);
    expect(answer.text).not.toMatch(/<script/i);
    expect(answer.text).toContain('<fieldset><legend>');
    expect(answer.text).toContain('Not at all likely');
    expect(answer.text).toContain('Extremely likely');
    expect(answer.text).toMatch(/:focus-visible/);
    expect((answer.text.match(/type="radio" name="score"/g) ?? []).length).toBe(11);
    // no language in the link: Accept-Language picks it, else Vietnamese
    const plain = await link(server, 'nps-hotline', { customerId: 'c-a11y-2' });
    expect((await page(server, plain.url, { 'accept-language': 'en-US,en;q=0.9' })).text).toContain('<html lang="en">');
    expect((await page(server, plain.url, { 'accept-language': 'fr' })).text).toContain('<html lang="vi">');
    // a survey's wording is the admin's, but shown as text all the same
    const payload = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
    expect((await http(server, 'POST', '/api/v1/surveys', { ...NPS, surveyId: 'nps-xss', question: { vi: payload, en: payload } })).status).toBe(201);
    const xss = await page(server, (await link(server, 'nps-xss', { customerId: 'c-xss' })).url);
    expect(xss.text).not.toMatch(/<img|<script/i);
    expect(xss.text).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
  });

  it('the same link answered twice within the window counts once, with the second score', async () => {
    await settled(server);
    const before = await npsRow(server);
    const made = await link(server, 'nps-hotline', { customerId: 'c-twice', lang: 'vi' });
    expect((await postForm(server, made.url, { score: '2', comment: 'Chờ lâu' })).status).toBe(200);
    await settled(server);
    expect(await npsRow(server)).toMatchObject({ n: before.n + 1, detractors: before.detractors + 1 });
    const second = await postForm(server, made.url, { score: '10', comment: 'Đã được gọi lại, rất tốt' });
    expect(second.status).toBe(200);
    expect(second.text).toContain(NPS.thanks.vi);
    await settled(server);
    expect(await npsRow(server)).toMatchObject({ n: before.n + 1, detractors: before.detractors, promoters: before.promoters + 1 });
    expect((await journeyFeedback(server, 'c-twice')).map((f) => [f.score, f.comment])).toEqual([[10, 'Đã được gọi lại, rất tốt']]);
    // an export holds the replacing answer alone, so a store it is imported into counts it once too
    const exported = await fetch(`${server.url}/api/v1/export?kind=events&customerId=c-twice`, { headers: bearer() });
    const answers = (await exported.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; data: { score?: number } })
      .filter((event) => event.type === 'feedback.given');
    expect(answers.map((event) => event.data.score)).toEqual([10]);
  });

  it('one click from an e-mail (?score=9) records the score at once; the comment then replaces it; a missing score asks again', async () => {
    await settled(server);
    const before = await npsRow(server);
    const made = await link(server, 'nps-hotline', { customerId: 'c-email', lang: 'en' });
    const clicked = await page(server, `${made.url}?score=9&utm_source=email`);
    expect(clicked.status).toBe(200);
    expect(clicked.text).toContain('Your score has been recorded');
    expect(clicked.text).toMatch(/value="9" required checked/);
    await settled(server);
    expect(await npsRow(server)).toMatchObject({ n: before.n + 1, promoters: before.promoters + 1 });
    expect((await journeyFeedback(server, 'c-email')).map((f) => [f.score, f.comment])).toEqual([[9, undefined]]);

    const noScore = await postForm(server, made.url, { comment: 'forgot the score' });
    expect(noScore.status).toBe(400);
    expect(noScore.text).toContain('Please choose a score.');
    expect(noScore.text).toContain('forgot the score');

    expect((await postForm(server, made.url, { score: '9', comment: 'Quick and kind' })).status).toBe(200);
    await settled(server);
    expect(await npsRow(server)).toMatchObject({ n: before.n + 1, promoters: before.promoters + 1 });
    expect((await journeyFeedback(server, 'c-email')).map((f) => [f.score, f.comment])).toEqual([[9, 'Quick and kind']]);
  });

  it('a tampered, malformed or expired link, or one to a survey that is gone, is refused with a page, never JSON', async () => {
    const made = await link(server, 'nps-hotline', { customerId: 'c-refused', lang: 'en' });
    const [body, signature] = made.token.split('.');
    const flipped = `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    // the payload altered (another customer) under the original signature
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const altered = `${Buffer.from(JSON.stringify({ ...payload, customerId: 'c-someone-else' })).toString('base64url')}.${signature}`;
    for (const token of [flipped, altered, 'not-a-token', `${body}`]) {
      const en = { 'accept-language': 'en' };
      for (const answer of [await page(server, `/s/${token}`, en), await postForm(server, `/s/${token}`, { score: '9' }, en)]) {
        expect([token, answer.status]).toEqual([token, 403]);
        expect(answer.type).toContain('text/html');
        expect(answer.text).toContain('This survey link is not valid.');
      }
    }
    const signer = server.app.get(SurveyLinkSigner);
    const expired = await signer.sign({ surveyId: 'nps-hotline', customerId: 'c-late', lang: 'vi' }, 1, new Date(Date.now() - 3 * 86_400_000));
    for (const answer of [await page(server, `/s/${expired.token}`), await postForm(server, `/s/${expired.token}`, { score: '9' })]) {
      expect(answer.status).toBe(410);
      expect(answer.text).toContain('Đường dẫn khảo sát này đã hết hạn.');
    }
    const gone = await signer.sign({ surveyId: 'no-such-survey', customerId: 'c-gone', lang: 'en' }, 1);
    const missing = await page(server, `/s/${gone.token}`);
    expect([missing.status, missing.type]).toEqual([404, expect.stringContaining('text/html')]);
    expect(missing.text).toContain('This survey is no longer available.');
    // a body that is not a form is a page too
    const json = await fetch(`${server.url}${made.url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":9}' });
    expect([json.status, json.headers.get('content-type')]).toEqual([415, expect.stringContaining('text/html')]);
    expect(await journeyFeedback(server, 'c-refused').catch(() => [])).toEqual([]);
  });

  it('the JSON endpoint for other tools: 401 without a key, 403 with a read key, 400 naming the field, 201 with a survey key (200 for the same answerId)', async () => {
    const surveyKey = await makeKey(server, ['survey']);
    const readKey = await makeKey(server, ['read']);
    const url = '/api/v1/surveys/nps-hotline/answers';
    const body = { customerId: 'c-zalo', score: 7, comment: 'Ổn', answerId: 'zalo-msg-1' };
    expect((await http(server, 'POST', url, body, { authorization: '' })).status).toBe(401);
    const forbidden = await http(server, 'POST', url, body, bearer(readKey));
    expect([forbidden.status, forbidden.body.message]).toEqual([403, expect.stringContaining('needs survey')]);
    const outside = await http(server, 'POST', url, { ...body, score: 11 }, bearer(surveyKey));
    expect([outside.status, outside.body.errors[0].field, outside.body.errors[0].reason]).toEqual([400, 'score', expect.stringContaining('0 to 10')]);
    const notNumber = await http(server, 'POST', url, { ...body, score: 'nine' }, bearer(surveyKey));
    expect([notNumber.status, notNumber.body.errors[0].field]).toEqual([400, 'score']);
    const unknown = await http(server, 'POST', url, { ...body, rating: 5 }, bearer(surveyKey));
    expect([unknown.status, unknown.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['rating']]);
    const missing = await http(server, 'POST', url, { score: 7 }, bearer(surveyKey));
    expect([missing.status, missing.body.errors[0].field]).toEqual([400, 'customerId']);

    const made = await http(server, 'POST', url, body, bearer(surveyKey));
    expect([made.status, made.body]).toEqual([201, expect.objectContaining({ customerId: 'c-zalo', surveyId: 'nps-hotline', version: 2, duplicate: false })]);
    const again = await http(server, 'POST', url, body, bearer(surveyKey));
    expect([again.status, again.body.duplicate, again.body.eventId]).toEqual([200, true, made.body.eventId]);
    expect(await journeyFeedback(server, 'c-zalo')).toEqual([
      expect.objectContaining({ kind: 'nps', score: 7, survey: { surveyId: 'nps-hotline', version: 2 } }),
    ]);
    // a message without a score is an unscored comment at the survey's touchpoint
    const comment = await http(server, 'POST', url, { customerId: 'c-zalo', comment: 'Cho hỏi giờ mở cửa?' }, bearer(surveyKey));
    expect(comment.status).toBe(201);
    expect((await journeyFeedback(server, 'c-zalo')).map((f) => f.kind)).toEqual(['nps', 'comment']);
    // a survey key may make links too, but not define surveys
    expect((await http(server, 'POST', '/api/v1/surveys/nps-hotline/links', { customerId: 'c-zalo' }, bearer(surveyKey))).status).toBe(201);
    expect((await http(server, 'POST', '/api/v1/surveys', NPS, bearer(surveyKey))).status).toBe(403);
  });

  it('response rates: 3 links sent, 2 answered → 0.667, per touchpoint and channel; answers without a link are counted apart', async () => {
    const csat = {
      surveyId: 'csat-store',
      metric: 'csat',
      touchpoint: 'store:hcm-q1',
      channel: 'store',
      stage: 'purchase',
      question: { vi: 'Bạn hài lòng chứ?', en: 'Were you satisfied?' },
    };
    expect((await http(server, 'POST', '/api/v1/surveys', csat)).status).toBe(201);
    const links = [];
    for (const customerId of ['c-r1', 'c-r2', 'c-r3']) links.push(await link(server, 'csat-store', { customerId }));
    expect((await postForm(server, links[0].url, { score: '5' })).status).toBe(200);
    // through the JSON endpoint with the link's token: the link's answer, as on its page
    const viaTool = await http(server, 'POST', '/api/v1/surveys/csat-store/answers', { customerId: 'c-r2', score: 4, linkToken: links[1].token });
    expect(viaTool.status).toBe(201);
    const wrongCustomer = await http(server, 'POST', '/api/v1/surveys/csat-store/answers', { customerId: 'c-r1', score: 4, linkToken: links[2].token });
    expect([wrongCustomer.status, wrongCustomer.body.errors[0].field]).toEqual([400, 'customerId']);
    const tampered = await http(server, 'POST', '/api/v1/surveys/csat-store/answers', { customerId: 'c-r3', score: 4, linkToken: `${links[2].token}x` });
    expect([tampered.status, tampered.body.errors[0].field]).toEqual([400, 'linkToken']);
    expect((await http(server, 'POST', '/api/v1/surveys/csat-store/answers', { customerId: 'c-walk-in', score: 3 })).status).toBe(201);
    await settled(server);
    const rate = await http(server, 'GET', '/api/v1/surveys/csat-store/response-rate?window=30d');
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({
      surveyId: 'csat-store',
      sent: 3,
      answered: 2,
      rate: 0.667,
      unlinkedAnswers: 1,
      byTouchpoint: [{ key: 'store:hcm-q1', sent: 3, answered: 2, rate: 0.667 }],
      byChannel: [{ key: 'store', sent: 3, answered: 2, rate: 0.667 }],
    });
    const all = await http(server, 'GET', '/api/v1/surveys/response-rates?window=30d');
    expect(all.body.items.map((i: { surveyId: string }) => i.surveyId)).toEqual(['csat-store', 'nps-hotline', 'nps-xss']);
    expect(all.body.items[0]).toMatchObject({ sent: 3, answered: 2, rate: 0.667 });
    const past = await http(server, 'GET', '/api/v1/surveys/csat-store/response-rate?window=2020-01-01..2020-02-01');
    expect(past.body).toMatchObject({ sent: 0, answered: 0, rate: null });
    expect((await http(server, 'GET', '/api/v1/surveys/csat-store/response-rate?window=soon')).body.errors[0].field).toBe('window');
  });

  it('the CLI creates, lists and links surveys and rotates the signing key; links made before a rotation keep working', async () => {
    const file = path.join(server.dataDir, 'ces.json');
    const ces = {
      surveyId: 'ces-web',
      metric: 'ces',
      touchpoint: 'web:checkout',
      channel: 'web',
      stage: 'purchase',
      question: { vi: 'Thanh toán có dễ không?', en: 'Was checkout easy?' },
    };
    fs.writeFileSync(file, JSON.stringify(ces));
    expect(JSON.parse(await runCli(server.dataDir, 'survey', 'create', '--file', file))).toEqual({ surveyId: 'ces-web', version: 1 });
    expect(await runCli(server.dataDir, 'survey', 'list')).toContain('ces-web  v1  ces 1-7');
    const before = (await runCli(server.dataDir, 'survey', 'link', 'ces-web', '--customer', 'c-cli', '--lang', 'en', '--ttl-days', '7')).trim();
    expect(before).toMatch(/^\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await runCli(server.dataDir, 'survey', 'rotate-key')).toMatch(/signed with key [0-9a-f]{12}/);
    const after = (await runCli(server.dataDir, 'survey', 'link', 'ces-web', '--customer', 'c-cli-2')).trim();
    const keyOf = (url: string) => JSON.parse(Buffer.from(url.slice(3).split('.')[0], 'base64url').toString()).k;
    expect(keyOf(after)).not.toBe(keyOf(before));
    // the server learns the new key from the store; the old one still verifies its links
    for (const url of [before, after]) expect((await page(server, url)).status).toBe(200);
    const page7 = await page(server, before);
    expect((page7.text.match(/type="radio" name="score"/g) ?? []).length).toBe(7);
    expect(page7.text).toContain('Very easy');
    const audit = await http(server, 'GET', '/api/v1/audit?limit=100');
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(expect.arrayContaining(['survey.defined', 'survey.key-rotated']));
  });
});

describe('hosted surveys after the replacement window (e2e)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ ...ENV, JOURNEYLINE_SURVEY_REPLACE_MINUTES: '0', JOURNEYLINE_PUBLIC_URL: 'https://cx.example.vn/' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a link answered before refuses another answer with a page (409), and counts once', async () => {
    expect((await http(server, 'POST', '/api/v1/surveys', NPS)).status).toBe(201);
    const made = await link(server, 'nps-hotline', { customerId: 'c-once', lang: 'en' });
    expect(made.url).toBe(`https://cx.example.vn/s/${made.token}`);
    const local = `/s/${made.token}`;
    expect((await postForm(server, local, { score: '9' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await postForm(server, local, { score: '0', comment: 'changed my mind' });
    expect([again.status, again.type]).toEqual([409, expect.stringContaining('text/html')]);
    expect(again.text).toContain('This survey has been answered.');
    const click = await page(server, `${local}?score=1`);
    expect(click.status).toBe(409);
    await settled(server);
    expect((await page(server, local)).status).toBe(409);
    expect(await npsRow(server)).toMatchObject({ n: 1, promoters: 1 });
    const viaTool = await http(server, 'POST', '/api/v1/surveys/nps-hotline/answers', { customerId: 'c-once', score: 3, linkToken: made.token });
    expect([viaTool.status, viaTool.body.errors[0].field]).toEqual([409, 'linkToken']);
  });
});
