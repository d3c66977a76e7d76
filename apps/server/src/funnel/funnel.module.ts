import { Module } from '@nestjs/common';
import { GetFunnelController } from './get-funnel/get-funnel.controller';
import { GetFunnelHandler } from './get-funnel/get-funnel.handler';

export const QueryHandlers = [GetFunnelHandler];

/** The funnel: where the journey leaks, split by acquisition channel, segment or region. */
@Module({ controllers: [GetFunnelController], providers: [...QueryHandlers] })
export class FunnelModule {}
