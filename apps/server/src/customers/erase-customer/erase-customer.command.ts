import type { Actor } from '@journeyline/access';

export class EraseCustomerCommand {
  constructor(
    readonly customerId: string,
    readonly actor: Actor,
  ) {}
}

/** What an erasure did. */
export interface ErasureAnswer {
  customerId: string;
  erasedAt: string;
  /** False when the customer had been erased before (asking again changes nothing). */
  erasedNow: boolean;
  /** A data key existed and was destroyed by this request. */
  keyDestroyed: boolean;
  /** The database's files hold no copy of the destroyed key (see the README on erasure). */
  filesScrubbed: boolean;
}
