import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import type { ChurnRule } from '@journeyline/journey';
import {
  ChurnRiskProcess, journeylineProjections, Projector, READ_MODEL_DATABASE, type ReadModelDatabase,
} from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { EventsAppended } from '../events/events-appended.event';
import { CHURN_RULES } from './churn-rules.provider';

/**
 * Embedded mode: the projector and the churn-risk process run inside the server, woken by every
 * append and by a poll timer (another process may append to the same store).
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('projections');
  readonly projector: Projector;
  readonly churnRisk: ChurnRiskProcess;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DATABASE) readModels: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig,
    @Inject(CHURN_RULES) rules: readonly ChurnRule[],
  ) {
    const onError = (error: unknown) => this.logger.error({ msg: 'projection failed; will retry on the next wake-up', error: String(error), stack: (error as Error)?.stack });
    this.projector = new Projector(store, readModels, journeylineProjections(store, config.timeZone), {
      onError,
      onParked: (parked) => this.logger.error({ msg: 'event parked: the projection moved on without it; fix the cause, then run journeyline retry-parked', ...parked }),
    });
    this.churnRisk = new ChurnRiskProcess(store, readModels, rules, {
      intervalMs: config.churnCheckIntervalMs,
      onError,
      onParked: (parked) => this.logger.error({ msg: 'customer parked: churn-risk rules could not evaluate them; fix the cause, then run journeyline retry-parked', ...parked }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    // A first start on a long log (or a projection whose version changed) can take a while: say how far it is.
    await this.projector.start((progress) => this.reportCatchUp('projections', Math.min(...progress.map((p) => p.position)), progress[0]?.head ?? 0));
    await this.churnRisk.start(({ position, head }) => this.reportCatchUp('churn-risk rules', position, head));
    this.logger.log({ msg: 'projections up to date', position: await this.projector.position(), ms: Date.now() - started });
  }

  private lastReport = 0;

  /** At most one line every two seconds while catching up before the server listens. */
  private reportCatchUp(part: string, position: number, head: number): void {
    const now = Date.now();
    if (now - this.lastReport < 2000) return;
    this.lastReport = now;
    this.logger.log({ msg: 'catching up with the event log before serving', part, position, head, percent: Math.floor((100 * position) / Math.max(1, head)) });
  }

  wake(): void {
    this.projector.wake();
    this.churnRisk.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.churnRisk.stop();
    await this.projector.stop();
  }
}

@EventsHandler(EventsAppended)
export class WakeProjectionsOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly host: ProjectionHost) {}

  handle(): void {
    this.host.wake();
  }
}
