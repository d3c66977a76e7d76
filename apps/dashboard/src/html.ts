/**
 * The one place the dashboard builds HTML from strings: chart tooltips, which ECharts wants as an
 * HTML string. Every value put into the template is escaped (a touchpoint, a channel, a name: all
 * come from events anyone with an ingest key can send); only fragments made by `html` itself pass
 * through as they are. Everything else the dashboard shows goes through JSX, which escapes.
 */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let text = strings[0];
  values.forEach((value, i) => {
    text += (Array.isArray(value) ? value.map(piece) : [piece(value)]).join('') + strings[i + 1];
  });
  return new SafeHtml(text);
}

function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}
