import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** `/health`: the store, the followers and what is wrong, for people and load balancers. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
