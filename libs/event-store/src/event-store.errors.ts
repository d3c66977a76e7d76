/** Errors every adapter throws in the same shape, so callers never depend on one database. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong-expected-revision';
  constructor(
    readonly streamId: string,
    readonly expected: number | string,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at revision ${actual}, expected ${expected}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class DuplicateEventIdError extends Error {
  readonly code = 'duplicate-event-id';
  constructor(readonly eventId: string) {
    super(`eventId ${eventId} is already stored with a different body; use a new eventId for a new event`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * `appendNew` wrote nothing: an event id of the call is already stored, or a stream is not at its
 * expected revision (which a retry of stored events explains as well as another writer). The
 * caller goes the careful way: look the ids up, then `append`.
 */
export class NotAllNewError extends Error {
  readonly code = 'not-all-new';
  constructor(readonly reason: 'stored-event-id' | 'revision') {
    super(
      reason === 'stored-event-id'
        ? 'an event id of this append is already stored; nothing was written: look the ids up and append again'
        : 'a stream is not at its expected revision; nothing was written: look the ids up and append again',
    );
    this.name = 'NotAllNewError';
  }
}

/** The store cannot be reached right now; the caller may retry later. */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
