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
