import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Followers, PLATFORM_LOG, type Log } from '@journeyline/platform';
import { addBehindHeader } from './behind-header';
import { CountAppends } from './count-appends.handler';
import { observeRequests } from './request-observer';
import { ScrapeMetricsController } from './scrape-metrics/scrape-metrics.controller';
import { ServerTelemetry } from './server-telemetry';

/** Observes every request from the moment the router sees it (the access log and the request histogram). */
class RequestObserver {}

/** Stands for the behind header's hooks in the providers. */
class BehindHeader {}

/**
 * Running the server in production: Prometheus series at GET /metrics (requests per route, appends,
 * projection lag, churn-rule runs), one access-log line per request, and the behind header on
 * every read answer. Health and readiness are the health module's; compression and the API
 * document are wired in `server.ts` and the docs module.
 */
@Module({
  controllers: [ScrapeMetricsController],
  providers: [
    { provide: ServerTelemetry, inject: [Followers], useFactory: (followers: Followers) => new ServerTelemetry(followers) },
    {
      provide: RequestObserver,
      inject: [HttpAdapterHost, ServerTelemetry, PLATFORM_LOG],
      useFactory: (host: HttpAdapterHost, telemetry: ServerTelemetry, log: Log) => {
        observeRequests(host.httpAdapter.getInstance(), telemetry, log);
        return new RequestObserver();
      },
    },
    CountAppends,
    {
      provide: BehindHeader,
      inject: [HttpAdapterHost, Followers],
      useFactory: (host: HttpAdapterHost, followers: Followers) => {
        addBehindHeader(host.httpAdapter.getInstance(), followers);
        return new BehindHeader();
      },
    },
  ],
  exports: [ServerTelemetry],
})
export class OperationsModule {}
