import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { AuditTrail } from '@journeyline/access';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { customerStreamId, type CustomerCommand } from '@journeyline/journey';
import { PersonGraph, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import type { RecordedEvent } from '@journeyline/recording';
import { RecordEventsCommand } from '../../events/record-events/record-events.command';
import { problem, quoted } from '../../http/problem';
import { MergeCustomersCommand, type MergeAnswer } from './merge-customers.command';

/**
 * Merges and unmerges by an admin, recorded like any customer.merged / customer.unmerged event
 * (in `into`'s stream, through the one write path, so the journey rules decide them), with the
 * audit entry. Before recording a merge the person graph is asked, so that a merge the journey map
 * would not take (a customer already merged elsewhere, two ids that are one person already) is a
 * 409 that says why instead of a fact that changes nothing.
 */
@CommandHandler(MergeCustomersCommand)
export class MergeCustomersHandler implements ICommandHandler<MergeCustomersCommand, MergeAnswer> {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly audit: AuditTrail,
  ) {}

  async execute({ from, into, undo, actor }: MergeCustomersCommand): Promise<MergeAnswer> {
    for (const [field, id] of [
      ['from', from],
      ['into', into],
    ] as const) {
      if ((await this.store.streamRevision(customerStreamId(id))) < 0) {
        const reason = `no events for customer ${quoted(id)}`;
        throw new NotFoundException(problem(404, reason, [{ field, reason }]));
      }
    }
    if (!undo) await this.refuseWhatWouldChangeNothing(from, into);
    const command = {
      type: undo ? 'UnmergeCustomer' : 'MergeCustomer',
      eventId: randomUUID(),
      customerId: into,
      occurredAt: new Date().toISOString(),
      data: { from },
    } as CustomerCommand;
    const [recorded] = await this.commandBus.execute<RecordEventsCommand, RecordedEvent[]>(new RecordEventsCommand([command]));
    await this.audit.record(undo ? 'customer.unmerged' : 'customer.merged', actor, into, { from });
    return { from, into, outcome: recorded.duplicate ? 'unchanged' : undo ? 'unmerged' : 'merged', position: recorded.position };
  }

  private async refuseWhatWouldChangeNothing(from: string, into: string): Promise<void> {
    const graph = new PersonGraph(this.db.reader);
    await graph.load([from, into]);
    const fromPerson = graph.personOf(from);
    const intoPerson = graph.personOf(into);
    let reason: string | null = null;
    if (from === into) reason = 'from and into are the same customer';
    else if (fromPerson === intoPerson) reason = `${quoted(from)} and ${quoted(into)} are one person already (${quoted(intoPerson)})`;
    else if (fromPerson !== from) reason = `${quoted(from)} is merged into ${quoted(fromPerson)}; unmerge it from there first`;
    if (reason) throw new ConflictException(problem(409, reason, [{ field: 'from', reason }]));
  }
}
