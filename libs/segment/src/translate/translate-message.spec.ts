import { PROTOTYPE_NAMES } from '@journeyline/recording/testing/hostile-input';
import { readSegmentRequest, type SegmentRoute } from '../messages/read-segment-request';
import type { SegmentMessage } from '../messages/segment-message';
import { parseSegmentMapping } from '../mapping/parse-segment-mapping';
import { BUILT_IN_MAPPING, type SegmentMapping } from '../mapping/segment-mapping';
import { translateMessage } from './translate-message';
import type { MessageTranslation } from './translation';

function message(route: SegmentRoute, body: Record<string, unknown>): SegmentMessage {
  const read = readSegmentRequest(route, { messageId: 'm-1', ...body });
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.messages[0];
}

/** What a message records, as `type customer {data}`, and what is listed as unmapped, as `kind name: reason`. */
function translated(route: SegmentRoute, body: Record<string, unknown>, mapping: SegmentMapping = BUILT_IN_MAPPING) {
  const result: MessageTranslation = translateMessage(message(route, body), mapping);
  return {
    records: result.drafts.map((d) => `${d.type} ${d.customerId} ${JSON.stringify(d.data)}${d.fallback ? ` (else ${JSON.stringify(d.fallback.data)})` : ''}`),
    unmapped: result.unmapped.map((u) => `${u.kind} ${u.name}: ${u.reason}`),
    eventIds: result.drafts.map((d) => d.eventId),
  };
}

const shop = parseSegmentMapping(`
defaults: { channel: web }
track:
  - { event: Product Viewed, touchpoint: web:product, stage: evaluation, properties: [sku] }
  - { event: Plan Chosen, stage: choice, from: { stage: journey_stage } }
  - { event: NPS Answered, as: feedback.given, kind: nps, touchpoint: hotline, from: { comment: text } }
  - { event: CES Answered, as: feedback.given, kind: ces, scale: 1-7 }
  - { event: Ticket Opened, as: ticket.opened, channel: phone }
  - { event: Ticket Resolved, as: ticket.resolved }
  - { event: Order Completed, as: purchase.made }
  - { event: Account Closed, as: customer.churned }
  - { event: Account Reopened, as: customer.reactivated }
page:
  - { path: "/pricing*", touchpoint: web:pricing, stage: evaluation }
  - { url: "https://shop.example.com/checkout*", touchpoint: web:checkout, stage: choice }
screen:
  - { name: "Onboarding *", touchpoint: app:onboarding, stage: use }
identify: { name: full_name, email: [email, contact.email], region: address.city }
group: { segment: plan }
`);

describe('a Segment message becomes wire events', () => {
  describe('with no mapping file (the built-in mapping)', () => {
    it("a track's event name is the touchpoint, its stage and channel from its properties; userId is the customer", () => {
      expect(translated('track', { userId: 'u-1', event: 'Signed Up', properties: { stage: 'awareness', channel: 'email' } })).toEqual({
        records: ['touchpoint.visited u-1 {"touchpoint":"Signed Up","channel":"email","stage":"awareness"}'],
        unmapped: [],
        eventIds: ['segment m:m-1 touchpoint.visited'],
      });
    });

    it('a track without a stage is listed, not recorded; anonymousId is the customer when there is no userId', () => {
      expect(translated('track', { anonymousId: 'a-1', event: 'Clicked' })).toMatchObject({
        records: [],
        unmapped: ['track Clicked: no rule maps this track and it has no stage property: not recorded; add a rule, a stage property or defaults.stage'],
      });
      expect(translated('track', { anonymousId: 'a-1', event: 'Clicked', properties: { stage: 'Awareness' } }).unmapped).toEqual([
        expect.stringContaining('its stage property is not a journey stage'),
      ]);
    });

    it('a page is its name (else its path), channel web; a screen, channel app', () => {
      expect(translated('page', { userId: 'u-1', name: 'Pricing', properties: { stage: 'evaluation' } }).records).toEqual([
        'touchpoint.visited u-1 {"touchpoint":"Pricing","channel":"web","stage":"evaluation"}',
      ]);
      expect(translated('page', { userId: 'u-1', properties: { path: '/pricing', stage: 'evaluation' } }).records[0]).toContain('"touchpoint":"/pricing"');
      expect(translated('screen', { userId: 'u-1', name: 'Home', properties: { stage: 'use' } }).records[0]).toContain('"channel":"app"');
      expect(translated('page', { userId: 'u-1' }).unmapped).toEqual(['page (page without a name, path or url): nothing names it: not recorded']);
    });

    it('identify traits named as portrait fields fill the portrait; other traits are listed by name', () => {
      expect(translated('identify', { userId: 'u-1', traits: { name: 'Lan', email: 'lan@example.vn', region: 'HCM', plan: 'gold', age: 30 } })).toMatchObject({
        records: ['customer.profiled u-1 {"name":"Lan","email":"lan@example.vn","region":"HCM"}'],
        unmapped: ['identify plan: no portrait field is filled from this trait', 'identify age: no portrait field is filled from this trait'],
      });
    });

    it('group traits fill nothing: listed by name, or the call itself when it has none', () => {
      expect(translated('group', { userId: 'u-1', groupId: 'g-1', traits: { industry: 'retail' } })).toMatchObject({
        records: [],
        unmapped: ['group industry: no portrait field is filled from this trait'],
      });
      expect(translated('group', { userId: 'u-1', groupId: 'g-1' }).unmapped).toEqual([expect.stringMatching(/^group \(group without traits\)/)]);
    });
  });

  describe('identity', () => {
    it('userId and anonymousId together: the anonymous visitor is merged into the user, first', () => {
      expect(translated('identify', { userId: 'u-1', anonymousId: 'a-1' })).toEqual({
        records: ['customer.merged u-1 {"from":"a-1"}'],
        unmapped: [],
        eventIds: ['segment m:m-1 customer.merged a-1'],
      });
      expect(translated('track', { userId: 'u-1', anonymousId: 'a-1', event: 'x', properties: { stage: 'use' } }).records).toEqual([
        'customer.merged u-1 {"from":"a-1"}',
        'touchpoint.visited u-1 {"touchpoint":"x","channel":"segment","stage":"use"}',
      ]);
    });

    it('alias: previousId joins userId (and the anonymousId too); the same id twice merges nothing', () => {
      expect(translated('alias', { userId: 'u-2', previousId: 'u-1', anonymousId: 'a-1' }).records).toEqual([
        'customer.merged u-2 {"from":"u-1"}',
        'customer.merged u-2 {"from":"a-1"}',
      ]);
      expect(translated('alias', { userId: 'u-1', previousId: 'u-1', anonymousId: 'u-1' }).records).toEqual([]);
      expect(translated('identify', { userId: 'u-1', anonymousId: 'u-1' }).records).toEqual([]);
    });
  });

  describe('with a mapping file', () => {
    it('a touchpoint rule: its literals beat the implicit properties; its `from` beats its literals; kept properties copied', () => {
      expect(translated('track', { userId: 'u-1', event: 'Product Viewed', properties: { stage: 'use', sku: 'A1', email: 'x@y.z' } }, shop).records).toEqual([
        'touchpoint.visited u-1 {"touchpoint":"web:product","channel":"web","stage":"evaluation","properties":{"sku":"A1"}} (else {"touchpoint":"Product Viewed","channel":"web","stage":"use"})',
      ]);
      expect(translated('track', { userId: 'u-1', event: 'Plan Chosen', properties: { journey_stage: 'purchase' } }, shop).records[0]).toContain(
        '"stage":"purchase"',
      );
      expect(translated('track', { userId: 'u-1', event: 'Plan Chosen' }, shop).records[0]).toContain('"stage":"choice"');
    });

    it('feedback: the score from its property (a number, or decimal text), NPS on 0-10 unless told; the comment from the property named', () => {
      expect(translated('track', { userId: 'u-1', event: 'NPS Answered', properties: { score: '9', text: 'nhanh' } }, shop).records).toEqual([
        'feedback.given u-1 {"kind":"nps","score":9,"comment":"nhanh","touchpoint":"hotline"}',
      ]);
      expect(translated('track', { userId: 'u-1', event: 'CES Answered', properties: { score: 6 } }, shop).records[0]).toContain(
        '"kind":"ces","score":6,"scale":"1-7"',
      );
      const survey = parseSegmentMapping(`
track:
  - { event: Survey Answered, as: feedback.given, from: { kind: survey, scale: survey_scale, score: answer, stage: at_stage } }
  - { event: CSAT Answered, as: feedback.given, kind: csat, scale: 1-5, touchpoint: web:checkout, channel: web, stage: choice }
`);
      expect(translated('track', { userId: 'u-1', event: 'CSAT Answered', properties: { score: 4 } }, survey).records).toEqual([
        'feedback.given u-1 {"kind":"csat","score":4,"scale":"1-5","stage":"choice","touchpoint":"web:checkout","channel":"web"}',
      ]);
      // kind and scale read from the event itself: one rule for every survey tool's answers
      expect(
        translated(
          'track',
          { userId: 'u-1', event: 'Survey Answered', properties: { survey: 'csat', survey_scale: '1-5', answer: 5, at_stage: 'use' } },
          survey,
        ).records,
      ).toEqual(['feedback.given u-1 {"kind":"csat","score":5,"scale":"1-5","stage":"use"}']);
      // a kind it does not know is listed, not guessed
      expect(translated('track', { userId: 'u-1', event: 'Survey Answered', properties: { survey: 'stars', answer: 5 } }, survey).unmapped).toEqual([
        expect.stringContaining('cannot apply: its kind is not one of'),
      ]);
    });

    it('a rule that cannot apply (its property missing) falls back to the raw touchpoint when a stage can be had, and is listed', () => {
      expect(translated('track', { userId: 'u-1', event: 'NPS Answered', properties: { stage: 'use' } }, shop)).toMatchObject({
        records: ['touchpoint.visited u-1 {"touchpoint":"NPS Answered","channel":"web","stage":"use"}'],
        unmapped: ['track NPS Answered: the rule on line 6 cannot apply: the score property is missing or not a number; recorded as a raw touchpoint at use'],
      });
      expect(translated('track', { userId: 'u-1', event: 'Order Completed', properties: { order_id: 'o-1', total: 'lots' } }, shop)).toMatchObject({
        records: [],
        unmapped: [expect.stringContaining('the amount property is missing or not a number; not recorded')],
      });
    });

    it('tickets, purchases and churn read the usual Segment property names', () => {
      const t = (event: string, properties: Record<string, unknown>) => translated('track', { userId: 'u-1', event, properties }, shop).records;
      expect(t('Ticket Opened', { ticket_id: 'T-1', subject: 'Giao hàng trễ' })).toEqual([
        'ticket.opened u-1 {"ticketId":"T-1","subject":"Giao hàng trễ","channel":"phone"}',
      ]);
      expect(t('Ticket Resolved', { ticketId: 77 })).toEqual(['ticket.resolved u-1 {"ticketId":"77"}']);
      expect(t('Order Completed', { order_id: 123, revenue: '199000.5', currency: 'usd' })).toEqual([
        'purchase.made u-1 {"orderId":"123","amount":199000.5,"currency":"USD"}',
      ]);
      expect(t('Account Closed', { reason: 'moved' })).toEqual(['customer.churned u-1 {"reason":"moved"}']);
      expect(t('Account Reopened', {})).toEqual(['customer.reactivated u-1 {}']);
    });

    it('an event no rule matches is recorded at defaults.stage when there is one, and listed', () => {
      const withDefault = parseSegmentMapping('defaults: { stage: awareness }');
      expect(translated('track', { userId: 'u-1', event: 'Clicked' }, withDefault)).toMatchObject({
        records: ['touchpoint.visited u-1 {"touchpoint":"Clicked","channel":"segment","stage":"awareness"}'],
        unmapped: [expect.stringContaining('recorded as a raw touchpoint at defaults.stage (awareness)')],
      });
    });

    it('pages by path (from properties or context.page) and URL; screens by name pattern', () => {
      expect(translated('page', { userId: 'u-1', properties: { path: '/pricing/vn' } }, shop).records[0]).toContain('"touchpoint":"web:pricing"');
      expect(translated('page', { userId: 'u-1', context: { page: { path: '/pricing' } } }, shop).records[0]).toContain('"touchpoint":"web:pricing"');
      expect(translated('page', { userId: 'u-1', properties: { url: 'https://shop.example.com/checkout/pay' } }, shop).records[0]).toContain(
        '"stage":"choice"',
      );
      expect(translated('screen', { userId: 'u-1', name: 'Onboarding Step 2' }, shop).records).toEqual([
        'touchpoint.visited u-1 {"touchpoint":"app:onboarding","channel":"app","stage":"use"}',
      ]);
      expect(translated('page', { userId: 'u-1', properties: { path: '/blog' } }, shop).unmapped).toEqual([
        expect.stringMatching(/^page \/blog: no rule maps this page/),
      ]);
    });

    it('identify and group traits by the paths the mapping names (the first present); a trait that is not text is listed and left out', () => {
      expect(
        translated('identify', { userId: 'u-1', traits: { full_name: 'Lan', contact: { email: 'lan@example.vn' }, address: { city: 'Huế' } } }, shop).records,
      ).toEqual(['customer.profiled u-1 {"name":"Lan","email":"lan@example.vn","region":"Huế"}']);
      expect(translated('identify', { userId: 'u-1', traits: { full_name: { first: 'Lan' } } }, shop).unmapped).toEqual([
        'identify full_name: trait for name is not text: left out',
      ]);
      expect(translated('group', { userId: 'u-1', groupId: 'g-1', traits: { plan: 'enterprise' } }, shop).records).toEqual([
        'customer.profiled u-1 {"segment":"enterprise"}',
      ]);
    });
  });

  describe('hostile input', () => {
    it('prototype names as event names, properties and traits are plain names', () => {
      for (const name of PROTOTYPE_NAMES) {
        const raw = JSON.parse(
          `{"userId":"u-1","event":${JSON.stringify(name)},"properties":{${JSON.stringify(name)}:{"stage":"use"}},"traits":{${JSON.stringify(name)}:"x"}}`,
        );
        expect(translated('track', raw).unmapped).toEqual([expect.stringMatching(/no stage property/)]);
        expect(translated('track', raw, shop).records).toEqual([]);
        expect(translated('identify', { userId: 'u-1', traits: raw.traits }).unmapped).toEqual([
          `identify ${name}: no portrait field is filled from this trait`,
        ]);
        const paths = parseSegmentMapping(`identify: { name: ${JSON.stringify(`${name}.${name}`)} }`);
        expect(translated('identify', { userId: 'u-1', traits: { a: 1 } }, paths).records).toEqual([]);
      }
    });

    it('a name too long or unprintable is listed cut short and cleaned, never split inside a character', () => {
      const [item] = translated('track', { userId: 'u-1', event: `${'😀'.repeat(150)}\u0000` }).unmapped;
      const name = item.slice('track '.length, item.indexOf(': no rule'));
      expect(name.length).toBeLessThanOrEqual(200);
      expect(name.endsWith('…')).toBe(true);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(name)).toBe(false);
      expect(translated('track', { userId: 'u-1', event: 'a\u0007b' }).unmapped[0]).toContain('a\ufffdb');
    });

    it('at most 20 unmapped items per message, however many traits', () => {
      const traits = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`t${i}`, i]));
      expect(translated('identify', { userId: 'u-1', traits }).unmapped).toHaveLength(20);
    });

    it('messageIds with spaces cannot shift the parts of derived ids; without one, the id comes from the content', () => {
      expect(translated('track', { userId: 'u-1', event: 'x', messageId: 'a b', properties: { stage: 'use' } }).eventIds).toEqual([
        'segment m:a%20b touchpoint.visited',
      ]);
      expect(translated('track', { userId: 'u-1', event: 'x', messageId: null, properties: { stage: 'use' } }).eventIds[0]).toMatch(
        /^segment h:[A-Za-z0-9_-]{32} touchpoint\.visited$/,
      );
    });
  });
});
