import { PageQueryDto } from '../../http/page-query.dto';

export class ListAuditQueryDto extends PageQueryDto {}
