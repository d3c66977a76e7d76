import * as fs from 'node:fs';
import { BUILT_IN_MAPPING, parseSegmentMapping, type SegmentMapping } from '@journeyline/segment';
import { ConfigError } from '../config/journeyline-config';

/**
 * The Segment source's mapping: the built-in one, or JOURNEYLINE_SEGMENT_MAPPING read and validated
 * once (a bad file stops start-up with one line naming the file and each bad line in it).
 */
export function loadSegmentMapping(file: string | null): SegmentMapping {
  if (!file) return BUILT_IN_MAPPING;
  if (!/\.(json|ya?ml)$/i.test(file)) throw new ConfigError('JOURNEYLINE_SEGMENT_MAPPING', `names ${file}: a mapping file ends in .json, .yaml or .yml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('JOURNEYLINE_SEGMENT_MAPPING', `names ${file}, which cannot be read: ${(error as Error).message}`);
  }
  try {
    return parseSegmentMapping(text);
  } catch (error) {
    throw new ConfigError('JOURNEYLINE_SEGMENT_MAPPING', `file ${file} is invalid: ${(error as Error).message}`);
  }
}
