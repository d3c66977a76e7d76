import { IsIn, IsOptional } from 'class-validator';
import { FUNNEL_SPLITS, type FunnelSplit } from '@journeyline/projections';
import { WindowQueryDto } from '../../http/window-query';

export class FunnelQueryDto extends WindowQueryDto {
  @IsOptional() @IsIn(FUNNEL_SPLITS, { message: `split must be one of ${FUNNEL_SPLITS.join(', ')}` }) split?: FunnelSplit;
}
