import { WindowQueryDto } from '../../http/window-query';

/** The period only (`window=30d`, `from`/`to`, `tz`): the list covers every metric. */
export class AttentionQueryDto extends WindowQueryDto {}
