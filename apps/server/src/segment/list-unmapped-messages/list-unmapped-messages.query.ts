import { Query } from '@nestjs/cqrs';
import type { listSegmentUnmapped, SegmentUnmappedCursor } from '@journeyline/projections';

export type UnmappedPage = Awaited<ReturnType<typeof listSegmentUnmapped>>;

/** A page of what the Segment source could not map, the most frequent first. */
export class ListUnmappedMessagesQuery extends Query<UnmappedPage> {
  constructor(
    readonly limit: number,
    readonly after: SegmentUnmappedCursor | undefined,
  ) {
    super();
  }
}
