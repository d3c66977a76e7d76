import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import type { SegmentMapping, SegmentRoute } from '@journeyline/segment';
import { Requires } from '../../access/requires.decorator';
import { SEGMENT_MAPPING } from '../segment-mapping.provider';
import type { SegmentAnswer } from './record-segment-messages.handler';
import { segmentCommand } from './record-segment-messages.request';

/**
 * Segment's HTTP tracking API (what analytics.js, analytics-node, RudderStack and Jitsu send):
 * `POST /v1/batch` and one route per message type. The write key is the basic-auth user name (the
 * access guard reads it before any of this runs; a `writeKey` in the body is not a credential).
 * 200 `{"success": true}` once stored, with what was set aside or left unmapped; 400 for a
 * malformed request (not retried by Segment's clients); 401, 429 and 503 as everywhere else.
 */
@Controller('v1')
@Requires('ingest')
export class RecordSegmentMessagesController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    @Inject(SEGMENT_MAPPING) private readonly mapping: SegmentMapping,
  ) {}

  @Post('batch')
  @HttpCode(200)
  batch(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('batch', body);
  }

  @Post('track')
  @HttpCode(200)
  track(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('track', body);
  }

  @Post('identify')
  @HttpCode(200)
  identify(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('identify', body);
  }

  @Post('page')
  @HttpCode(200)
  page(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('page', body);
  }

  @Post('screen')
  @HttpCode(200)
  screen(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('screen', body);
  }

  @Post('alias')
  @HttpCode(200)
  alias(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('alias', body);
  }

  @Post('group')
  @HttpCode(200)
  group(@Body() body: unknown): Promise<SegmentAnswer> {
    return this.record('group', body);
  }

  private record(route: SegmentRoute, body: unknown): Promise<SegmentAnswer> {
    return this.commandBus.execute(segmentCommand(route, body, this.mapping, this.config));
  }
}
