import { WindowQueryDto } from '../../http/window-query';
import { DefinitionsVersionParam } from '../../definitions/metric-definitions-in-force';

/** The period only (`window=30d`, `from`/`to`, `tz`): the list covers every metric. */
export class AttentionQueryDto extends WindowQueryDto {
  /** Recompute with this version of the metric parameters (GET /api/v1/definitions/metrics); default: the version in force. */
  @DefinitionsVersionParam() definitionsVersion?: number;
}
