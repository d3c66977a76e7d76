import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseWireEvents, type RecordedEvent } from '@journeyline/recording';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { problem } from '../../http/problem';
import { RecordEventsCommand } from './record-events.command';
import { batchEvents } from './record-events.request';
import { Requires } from '../../access/requires.decorator';

/**
 * POST /api/v1/events and /api/v1/events/batch. Bodies are validated here, event by event, so a
 * 400 can name every bad event by index; nothing is stored unless every event is valid.
 */
@Controller('api/v1/events')
@Requires('ingest')
export class RecordEventsController {
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
    const recorded = await this.record(batchEvents(body), true);
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
      const message = batch ? `${bad} of ${events.length} events are invalid; nothing was stored` : 'the event is invalid; nothing was stored';
      throw new BadRequestException(problem(400, message, batch ? errors : errors.map(({ index: _index, ...rest }) => rest)));
    }
    return this.commandBus.execute(new RecordEventsCommand(commands));
  }
}
