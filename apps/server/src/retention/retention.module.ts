import { Module } from '@nestjs/common';
import { GetCohortsController } from './get-cohorts/get-cohorts.controller';
import { GetCohortsHandler } from './get-cohorts/get-cohorts.handler';
import { GetRetentionController } from './get-retention/get-retention.controller';
import { GetRetentionHandler } from './get-retention/get-retention.handler';

export const QueryHandlers = [GetRetentionHandler, GetCohortsHandler];

/** Retention and churn rates for a period, and monthly cohorts. */
@Module({ controllers: [GetRetentionController, GetCohortsController], providers: [...QueryHandlers] })
export class RetentionModule {}
