import { Module } from '@nestjs/common';
import { ListUnmappedMessagesController } from './list-unmapped-messages/list-unmapped-messages.controller';
import { ListUnmappedMessagesHandler } from './list-unmapped-messages/list-unmapped-messages.handler';
import { RecordSegmentMessagesController } from './record-segment-messages/record-segment-messages.controller';
import { RecordSegmentMessagesHandler } from './record-segment-messages/record-segment-messages.handler';
import { segmentMappingProvider } from './segment-mapping.provider';

export const CommandHandlers = [RecordSegmentMessagesHandler];
export const QueryHandlers = [ListUnmappedMessagesHandler];

/**
 * The Segment-compatible source: Segment's HTTP tracking API (`/v1/*`) mapped at ingest onto the
 * wire events every source records (the mapping file, JOURNEYLINE_SEGMENT_MAPPING, loaded once),
 * and the list of what it could not map. Gzipped bodies are inflated before parsing (segment-bodies.ts, wired in server.ts).
 */
@Module({
  controllers: [RecordSegmentMessagesController, ListUnmappedMessagesController],
  providers: [segmentMappingProvider, ...CommandHandlers, ...QueryHandlers],
})
export class SegmentModule {}
