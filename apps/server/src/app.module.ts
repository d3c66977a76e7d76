import { AsOfModule } from './as-of/as-of.module';
import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule, type JourneylineConfig, type Log } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { AccessModule } from './access/access.module';
import { ChurnRisksModule } from './churn-risks/churn-risks.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { CustomersModule } from './customers/customers.module';
import { DefinitionsModule } from './definitions/definitions.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventsModule } from './events/events.module';
import { ExportsModule } from './exports/exports.module';
import { ImportsModule } from './imports/imports.module';
import { FunnelModule } from './funnel/funnel.module';
import { HealthModule } from './health/health.module';
import { DocsModule } from './docs/docs.module';
import { OperationsModule } from './operations/operations.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { SegmentModule } from './segment/segment.module';
import { SurveysModule } from './surveys/surveys.module';
import { AlertsModule } from './alerts/alerts.module';
import { TargetsModule } from './targets/targets.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';
import { RevealPersonalDataOnTheWayOut, revealPersonalDataOnTheWayOut } from './http/reveal-personal-data';

/**
 * The server: the platform (configuration, stores, followers, keys, personal data; global), access
 * (the guard every request passes, keys, sessions, audit) and one module per feature, each listing
 * its use cases' controllers and handlers. The dashboard's catch-all comes last. Every answer's
 * personal fields are opened on the way out (reveal-personal-data.ts).
 */
@Module({})
export class AppModule {
  static forRoot(config: JourneylineConfig, log: Log): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        PlatformModule.forRoot(config, { log, runFollowers: true }),
        AccessModule,
        AsOfModule,
        EventsModule,
        CustomersModule,
        MetricsModule,
        DefinitionsModule,
        TouchpointsModule,
        FunnelModule,
        RetentionModule,
        ChurnRisksModule,
        FollowUpsModule,
        ImportsModule,
        ExportsModule,
        SegmentModule,
        SurveysModule,
        TargetsModule,
        AlertsModule,
        HealthModule,
        OperationsModule,
        DocsModule,
        DashboardModule,
      ],
      providers: [
        {
          provide: RevealPersonalDataOnTheWayOut,
          inject: [HttpAdapterHost, PersonalData],
          useFactory: (host: HttpAdapterHost, personal: PersonalData) => {
            revealPersonalDataOnTheWayOut(host.httpAdapter.getInstance(), personal);
            return new RevealPersonalDataOnTheWayOut();
          },
        },
      ],
    };
  }
}
