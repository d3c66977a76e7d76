/**
 * What a key may do. `admin` holds every other scope: keys, erasure, exports and the audit trail
 * are admin's alone; `read` reads journeys and metrics; `ingest` records events; `survey` posts
 * survey answers from a public survey page.
 */
export const SCOPES = ['ingest', 'read', 'admin', 'survey'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Whether a key holding `held` may do what needs `needed`. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}
