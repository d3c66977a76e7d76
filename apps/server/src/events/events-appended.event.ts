/** Published in-process after an append, so projectors can wake up instead of polling. */
export class EventsAppended {
  constructor(
    readonly lastPosition: number,
    readonly count: number,
  ) {}
}
