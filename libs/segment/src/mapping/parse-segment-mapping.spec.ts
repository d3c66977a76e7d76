import { PROTOTYPE_NAMES } from '@journeyline/recording/testing/hostile-input';
import { SegmentMappingError } from './located-document';
import { matchesPattern, namePattern } from './name-pattern';
import { parseSegmentMapping } from './parse-segment-mapping';
import { BUILT_IN_MAPPING } from './segment-mapping';

/** The problems a file has, one per entry (`line N: ...`). */
function issuesOf(text: string): readonly string[] {
  try {
    parseSegmentMapping(text);
  } catch (error) {
    if (error instanceof SegmentMappingError) return error.issues;
    throw error;
  }
  throw new Error('the mapping was accepted');
}

const lines = (...rows: string[]) => rows.join('\n');

describe('the Segment mapping file', () => {
  it('reads every kind of rule, in the order written', () => {
    const mapping = parseSegmentMapping(
      lines(
        'defaults: { stage: awareness, channel: web }',
        'track:',
        '  - event: Product Viewed',
        '    touchpoint: web:product',
        '    stage: evaluation',
        '    properties: [sku]',
        '  - event: "Checkout *"',
        '    stage: choice',
        '    from: { channel: [source, medium] }',
        '  - event: NPS Answered',
        '    as: feedback.given',
        '    kind: nps',
        '    from: { score: answer.score, comment: answer.text }',
        '  - event: CSAT Answered',
        '    as: feedback.given',
        '    kind: csat',
        '    scale: 1-5',
        '  - { event: Ticket Opened, as: ticket.opened, touchpoint: hotline, from: { ticketId: ticket } }',
        '  - { event: Ticket Closed, as: ticket.resolved }',
        '  - { event: Order Completed, as: purchase.made, currency: USD, from: { amount: revenue } }',
        '  - { event: Account Closed, as: customer.churned, reason: closed by the customer }',
        '  - { event: Account Reopened, as: customer.reactivated }',
        'page:',
        '  - { path: "/pricing*", touchpoint: web:pricing, stage: evaluation }',
        '  - { url: "https://shop.example.com/checkout*", name: Checkout, stage: choice }',
        'screen:',
        '  - { name: Home, touchpoint: app:home, stage: use, channel: app }',
        'identify: { name: full_name, email: [email, contact.email], region: address.city }',
        'group: { segment: plan }',
      ),
    );
    expect(mapping.defaults).toEqual({ stage: 'awareness', channel: 'web' });
    expect(mapping.track.map((r) => [r.event.source, r.as, r.line])).toEqual([
      ['Product Viewed', 'touchpoint.visited', 3],
      ['Checkout *', 'touchpoint.visited', 7],
      ['NPS Answered', 'feedback.given', 10],
      ['CSAT Answered', 'feedback.given', 14],
      ['Ticket Opened', 'ticket.opened', 18],
      ['Ticket Closed', 'ticket.resolved', 19],
      ['Order Completed', 'purchase.made', 20],
      ['Account Closed', 'customer.churned', 21],
      ['Account Reopened', 'customer.reactivated', 22],
    ]);
    expect(mapping.track[0]).toMatchObject({ fixed: { touchpoint: 'web:product', stage: 'evaluation' }, keep: ['sku'] });
    expect(mapping.track[1].from).toEqual({ channel: [['source'], ['medium']] });
    expect(mapping.track[2].from).toEqual({ score: [['answer', 'score']], comment: [['answer', 'text']] });
    expect(mapping.track[6].fixed).toEqual({ currency: 'USD' });
    expect(mapping.page[1]).toMatchObject({ url: { source: 'https://shop.example.com/checkout*' }, name: { source: 'Checkout' }, fixed: { stage: 'choice' } });
    expect(mapping.identify).toEqual({ name: [['full_name']], email: [['email'], ['contact', 'email']], region: [['address', 'city']] });
    expect(mapping.group).toEqual({ segment: [['plan']] });
  });

  it('reads JSON as well (YAML 1.2 reads it), with the same lines', () => {
    const mapping = parseSegmentMapping(lines('{', '  "track": [', '    { "event": "Signed Up", "stage": "awareness" }', '  ]', '}'));
    expect(mapping.track).toEqual([expect.objectContaining({ line: 3, event: namePattern('Signed Up'), fixed: { stage: 'awareness' } })]);
    expect(issuesOf(lines('{', '  "track": [', '    { "event": "Signed Up", "stage": "signup" }', '  ]', '}'))).toEqual([
      expect.stringMatching(/^line 3: track\[0\]\.stage "signup" is not a journey stage/),
    ]);
  });

  it('an empty file is the built-in mapping; identify left out keeps the built-in traits', () => {
    expect(parseSegmentMapping('')).toBe(BUILT_IN_MAPPING);
    expect(parseSegmentMapping('# nothing yet\n')).toBe(BUILT_IN_MAPPING);
    expect(parseSegmentMapping('track: []').identify).toBe(BUILT_IN_MAPPING.identify);
    expect(parseSegmentMapping('identify: {}').identify).toEqual({});
  });

  describe('names the line of every problem, all at once, in file order', () => {
    const cases: [string, string, RegExp[]][] = [
      [
        'an unknown top-level field',
        'tracks:\n  - event: x',
        [/^line 1: tracks is not a field here \(fields: defaults, track, page, screen, identify, group\)$/],
      ],
      [
        'a misspelt stage and an unknown field',
        'track:\n  - event: x\n    stage: evalution\n    colour: blue',
        [/^line 3: .*"evalution"/, /^line 4: track\[0\]\.colour is not a field here/],
      ],
      ['a rule without event', 'track:\n  - stage: use', [/^line 2: track\[0\] needs event/]],
      ['an unknown target', 'track:\n  - event: x\n    as: touchpoint', [/^line 3: track\[0\]\.as "touchpoint" is not what a track event can record/]],
      [
        'a field the target does not take',
        'track:\n  - event: x\n    as: purchase.made\n    stage: purchase',
        [/^line 4: track\[0\]\.stage is not a field here/],
      ],
      ['feedback without kind', 'track:\n  - event: x\n    as: feedback.given', [/^line 2: track\[0\] records feedback\.given: it needs kind/]],
      ['csat without scale', 'track:\n  - event: x\n    as: feedback.given\n    kind: csat', [/^line 2: track\[0\] records csat answers: it needs scale/]],
      [
        'a scale the kind does not use',
        'track:\n  - event: x\n    as: feedback.given\n    kind: nps\n    scale: 1-5',
        [/^line 5: track\[0\]\.scale 1-5 is not a scale of nps/],
      ],
      ['a bad currency', 'track:\n  - event: x\n    as: purchase.made\n    currency: dollars', [/^line 4: track\[0\]\.currency "dollars" is not an ISO 4217/]],
      [
        'a from field the target does not read',
        'track:\n  - event: x\n    as: ticket.resolved\n    from: { amount: total }',
        [/^line 4: track\[0\]\.from\.amount is not a field here/],
      ],
      ['a bad property path', 'identify:\n  email: "contact..email"', [/^line 2: identify\.email "contact\.\.email" is not a property path/]],
      ['an unknown portrait field', 'identify:\n  nickname: nick', [/^line 2: identify\.nickname is not a field here/]],
      ['a page rule without a matcher', 'page:\n  - stage: use', [/^line 2: page\[0\] needs name or path or url/]],
      ['a screen rule matching a path', 'screen:\n  - path: /x\n    stage: use', [/^line 2: screen\[0\]\.path is not a field here/]],
      ['rules that are not a list', 'track:\n  event: x', [/^line 2: track must be a list of rules/]],
      ['a YAML syntax error', 'track:\n  - event: [unclosed\n', [/^line \d: /]],
      ['a duplicate key', 'track:\n  - event: x\n    event: y', [/^line \d: Map keys must be unique/]],
      ['an alias', 'defaults:\n  stage: &s use\nscreen:\n  - { name: x, stage: *s }', [/^line 4: aliases \(\*s\) are not supported/]],
      ['a control character', 'track:\n  - event: "a\\u0007b"', [/^line 2: track\[0\]\.event must not contain control characters/]],
      ['a root that is a list', '- event: x', [/^line 1: the mapping file must be a map/]],
      ['a stage that is not text', 'defaults:\n  stage: [use]', [/^line 2: defaults\.stage must be text/]],
    ];
    it.each(cases)('%s', (_name, text, expected) => {
      const issues = issuesOf(text);
      expect(issues).toEqual(expected.map((pattern) => expect.stringMatching(pattern)));
    });
  });

  it('takes prototype names as plain names: as fields they are unknown, as event names they are names', () => {
    for (const name of PROTOTYPE_NAMES) {
      expect(issuesOf(`${JSON.stringify(name)}: 1`)).toEqual([expect.stringContaining(`line 1: ${name} is not a field here`)]);
      expect(issuesOf(`track:\n  - event: x\n    ${JSON.stringify(name)}: 1`)).toEqual([
        expect.stringContaining(`line 3: track[0].${name} is not a field here`),
      ]);
      const mapping = parseSegmentMapping(`track:\n  - { event: ${JSON.stringify(name)}, stage: use }`);
      expect(mapping.track[0].event.source).toBe(name);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('name patterns', () => {
  it.each([
    ['Order Completed', 'Order Completed', true],
    ['Order Completed', 'order completed', false],
    ['Checkout *', 'Checkout Started', true],
    ['Checkout *', 'Checkout ', true],
    ['Checkout *', 'Checkout', false],
    ['*', '', true],
    ['/pricing*', '/pricing/vn', true],
    ['/a*b*c', '/abc', true],
    ['/a*b*c', '/acb', false],
    ['*.example.com/*/checkout', 'https://shop.example.com/vn/checkout', true],
    ['a*a', 'a', false],
    ['toString', 'toString', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesPattern(namePattern(pattern), name)).toBe(expected);
  });

  it('stays linear on hostile names', () => {
    const pattern = namePattern('*a*a*a*a*a*a*a*a*b');
    const started = Date.now();
    expect(matchesPattern(pattern, 'a'.repeat(200_000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
  });
});
