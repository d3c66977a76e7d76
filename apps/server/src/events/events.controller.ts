import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseWireEvents, type RecordedEvent } from '@journeyline/ingestion';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { problem, type FieldProblem } from '../http/problem';
import { RecordEventsCommand } from './record-events.command';

export const MAX_BATCH = 1000;

/**
 * POST /api/v1/events and /api/v1/events/batch. Bodies are validated here, event by event, so a
 * 400 can name every bad event by index; nothing is stored unless every event is valid.
 */
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Post()
  @HttpCode(200)
  async recordOne(@Body() body: unknown): Promise<RecordedEvent> {
    const [recorded] = await this.record([body], false);
    return recorded;
  }

  @Post('batch')
  @HttpCode(200)
  async recordBatch(@Body() body: unknown) {
    const events = (body as { events?: unknown } | null)?.events;
    const unknownKeys = body && typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'events') : [];
    if (!Array.isArray(events) || unknownKeys.length > 0) {
      throw invalid('the body must be {"events": [...]} and nothing else; nothing was stored', [
        { field: 'events', reason: Array.isArray(events) ? `unknown field(s) ${unknownKeys.join(', ')}` : 'events must be an array of events' },
      ]);
    }
    if (events.length === 0 || events.length > MAX_BATCH) {
      throw invalid(`a batch holds 1 to ${MAX_BATCH} events, this one has ${events.length}; split it; nothing was stored`, [
        { field: 'events', reason: `must contain between 1 and ${MAX_BATCH} events` },
      ]);
    }
    const recorded = await this.record(events, true);
    return {
      positions: recorded.map((r) => r.position),
      events: recorded,
      stored: recorded.filter((r) => !r.duplicate).length,
      duplicates: recorded.filter((r) => r.duplicate).length,
    };
  }

  private async record(events: unknown[], batch: boolean): Promise<RecordedEvent[]> {
    const { commands, errors } = parseWireEvents(events, { timeZone: this.config.timeZone, now: new Date(), limits: this.config.wireLimits });
    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => e.index)).size;
      throw invalid(
        batch ? `${bad} of ${events.length} events are invalid; nothing was stored` : 'the event is invalid; nothing was stored',
        batch ? errors : errors.map(({ index: _index, ...rest }) => rest),
      );
    }
    return this.commandBus.execute(new RecordEventsCommand(commands));
  }
}

function invalid(message: string, errors: FieldProblem[]) {
  return new BadRequestException(problem(400, message, errors));
}
