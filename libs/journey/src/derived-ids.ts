/**
 * Ids Journeyline derives for itself (stage changes, churn-risk episodes, Kafka messages that
 * came without an eventId) live in their own namespace: every one of them contains a space, and a
 * client's eventId never does (the wire format refuses whitespace in ids). So no client can ever
 * send, by accident or on purpose, an id that Journeyline will later need for one of its own
 * events; and a derived id is still a plain function of its cause, so deciding twice gives the
 * same id and the store's idempotency absorbs the repeat.
 *
 * A derived id is `<kind> <part> <part> ...`. Each part is escaped (`%` and whitespace as
 * `%XX`), so a customer id with spaces cannot shift the parts: the same id never comes from two
 * different causes.
 */
export type DerivedIdKind = 'stage' | 'churn-risk' | 'churn-risk-cleared' | 'kafka' | 'import' | 'erased' | 'segment' | 'alert' | 'follow-up';

export function derivedEventId(kind: DerivedIdKind, ...parts: readonly (string | number)[]): string {
  return [kind, ...parts.map((part) => escapePart(String(part)))].join(' ');
}

/** Whether an id is in Journeyline's own namespace (a client's eventId never is). */
export function isDerivedEventId(eventId: string): boolean {
  return eventId.includes(' ');
}

/** The StageEntered / StageRegressed a visit or purchase causes. */
export function stageChangeEventId(causeId: string): string {
  return derivedEventId('stage', causeId);
}

function escapePart(part: string): string {
  return part.replace(/[%\s]/g, (ch) => {
    const code = ch.codePointAt(0)!;
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
