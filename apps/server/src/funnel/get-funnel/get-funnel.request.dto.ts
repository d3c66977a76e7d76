import { IsIn, IsOptional } from 'class-validator';
import { FUNNEL_SPLITS, type FunnelSplit } from '@journeyline/projections';
import { CutQueryDto } from '../../http/cut-query';

export class FunnelQueryDto extends CutQueryDto {
  @IsOptional() @IsIn(FUNNEL_SPLITS, { message: `split must be one of ${FUNNEL_SPLITS.join(', ')}` }) split?: FunnelSplit;
}
