import type { Actor } from '@journeyline/access';

/** Records that `from` is the same person as `into` (or, `undo`, no longer is). */
export class MergeCustomersCommand {
  constructor(
    readonly from: string,
    readonly into: string,
    readonly undo: boolean,
    readonly actor: Actor,
  ) {}
}

export interface MergeAnswer {
  from: string;
  into: string;
  /** `merged`, `unmerged`, or `unchanged` when the merge was in place already. */
  outcome: 'merged' | 'unmerged' | 'unchanged';
  position: number;
}
