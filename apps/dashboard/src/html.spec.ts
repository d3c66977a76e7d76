/// <reference types="jest" />
// The dashboard's tsconfig has no test types (it is built for the browser); jest's unit project runs this file.
import { escapeHtml, html, SafeHtml } from './html';

/** The values a tooltip shows come from events: each of these is a touchpoint, channel or name anyone with an ingest key can send. */
const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '`${alert(1)}`',
  '</b><iframe src="javascript:alert(1)"></iframe>',
];

describe('escapeHtml', () => {
  it('escapes every character that can open a tag, an attribute or an entity', () => {
    expect(escapeHtml('<')).toBe('&lt;');
    expect(escapeHtml('>')).toBe('&gt;');
    expect(escapeHtml('&')).toBe('&amp;');
    expect(escapeHtml('"')).toBe('&quot;');
    expect(escapeHtml("'")).toBe('&#39;');
    expect(escapeHtml('`')).toBe('&#96;');
    expect(escapeHtml(`a<b>&"c'd\`e`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;d&#96;e');
  });

  it('escapes an ampersand first, so text that looks escaped shows as typed', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  it('leaves other text, Vietnamese included, as it is', () => {
    expect(escapeHtml('Tổng đài 1900 · web:pricing / Zalo OA')).toBe('Tổng đài 1900 · web:pricing / Zalo OA');
  });

  it('shows null and undefined as nothing and any other value as its text, escaped', () => {
    expect([escapeHtml(null), escapeHtml(undefined), escapeHtml(0), escapeHtml(false), escapeHtml(12.5)]).toEqual(['', '', '0', 'false', '12.5']);
    expect(escapeHtml({ toString: () => '<b>bold</b>' })).toBe('&lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('html', () => {
  it('makes every script payload inert: no tag, quote or backtick of the value survives', () => {
    for (const payload of PAYLOADS) {
      const escaped = escapeHtml(payload);
      expect([payload, /[<>"'`]/.test(escaped)]).toEqual([payload, false]);
      expect(html`<b>${payload}</b> · <span title="${payload}">${payload}</span>`.text).toBe(`<b>${escaped}</b> · <span title="${escaped}">${escaped}</span>`);
    }
  });

  it('keeps the template as written and escapes each value in it', () => {
    const tooltip = html`<b>${'<img src=x onerror=alert(1)>'}</b> · ${'web & app'}<br />NPS: <b>${42}</b>`;
    expect(tooltip).toBeInstanceOf(SafeHtml);
    expect(tooltip.text).toBe('<b>&lt;img src=x onerror=alert(1)&gt;</b> · web &amp; app<br />NPS: <b>42</b>');
    expect(String(tooltip)).toBe(tooltip.text);
  });

  it('passes fragments made by html as they are, and only those', () => {
    const warn = html` · <i>${'<few answers>'}</i>`;
    expect(html`${'a'}${warn}`.text).toBe('a · <i>&lt;few answers&gt;</i>');
    // something shaped like a fragment is not one: only html makes SafeHtml
    expect(html`${{ text: '<b>forged</b>' }}`.text).toBe('[object Object]');
    expect(html`${{ text: '<b>forged</b>', toString: () => '<b>forged</b>' }}`.text).toBe('&lt;b&gt;forged&lt;/b&gt;');
  });

  it('joins an array piece by piece, each escaped unless a fragment', () => {
    const pieces = ['<b>', html`<b>${'a&b'}</b>`, null, 'x'];
    expect(html`<span>${pieces}</span>`.text).toBe('<span>&lt;b&gt;<b>a&amp;b</b>x</span>');
  });

  it('shows null, undefined and false as nothing, and 0 as 0', () => {
    expect(html`[${null}|${undefined}|${false}|${0}]`.text).toBe('[|||0]');
  });
});
