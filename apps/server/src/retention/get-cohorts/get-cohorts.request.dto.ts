import { RetentionQueryDto } from '../get-retention/get-retention.request.dto';

/** The same period parameters as retention; without any, the last twelve months. */
export class CohortsQueryDto extends RetentionQueryDto {}
