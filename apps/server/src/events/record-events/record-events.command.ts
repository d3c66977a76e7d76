import type { CustomerCommand } from '@journeyline/journey';

/** Record a batch of customer events atomically (one event is a batch of one). */
export class RecordEventsCommand {
  constructor(readonly commands: CustomerCommand[]) {}
}
