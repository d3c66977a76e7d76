import type { Provider } from '@nestjs/common';
import { JOURNEYLINE_CONFIG, loadSegmentMapping, type JourneylineConfig } from '@journeyline/platform';
import type { SegmentMapping } from '@journeyline/segment';

export const SEGMENT_MAPPING = Symbol('SEGMENT_MAPPING');

/** JOURNEYLINE_SEGMENT_MAPPING, read and validated once when the server starts: a bad file stops the start with one line naming its lines. */
export const segmentMappingProvider: Provider = {
  provide: SEGMENT_MAPPING,
  inject: [JOURNEYLINE_CONFIG],
  useFactory: (config: JourneylineConfig): SegmentMapping => loadSegmentMapping(config.segmentMappingFile),
};
