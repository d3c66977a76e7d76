import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  CHURN_RISK_PROCESS_COMPONENT,
  ChurnRiskProcess,
  journeylineProjections,
  parkedSummary,
  projectionsWithParked,
  Projector,
  type ParkedSummary,
} from '@journeyline/projections';
import { interruptible, openStores } from '../cli-context';

/**
 * Tries parked events again after a fix: each projection that parked events is rebuilt from the
 * log (a projection folds in log order, so an event can only be applied again by replaying it
 * with the rest), the churn-risk rules evaluate their parked customers again, and what still
 * fails is parked again with its new error. The Kafka worker retries its own parked outbound
 * events when it starts.
 */
export function registerRetryParked(program: Command): void {
  program
    .command('retry-parked')
    .description('after a fix, try again the events a projection or the churn-risk rules set aside (rebuilds the projections concerned)')
    .action(async () => {
      const stores = await openStores();
      const signal = interruptible();
      try {
        const before = await parkedSummary(stores.readModels.reader).catch(() => [] as ParkedSummary[]);
        if (before.length === 0) {
          console.log('nothing is parked');
          return;
        }
        for (const s of before) console.log(`${s.component}: ${s.count} parked (latest: ${s.latest[0]?.eventId} — ${s.latest[0]?.error})`);
        const projector = new Projector(stores.store, stores.readModels, journeylineProjections(stores.store, stores.config.timeZone, stores.personal));
        const names = projectionsWithParked(before, projector.projections);
        if (names.length > 0) {
          const bar = new SingleBar({ format: `rebuild ${names.join(', ')} |{bar}| {percentage}% {value}/{total}`, hideCursor: true }, Presets.shades_classic);
          bar.start(await stores.store.headPosition(), 0);
          await projector.rebuild(names, {
            onProgress: (progress) => {
              bar.update(Math.min(...progress.filter((p) => names.includes(p.projection)).map((p) => p.position)));
              if (signal.stopped) void projector.stop();
            },
          });
          bar.stop();
          if (signal.stopped) {
            console.log('interrupted; run `journeyline rebuild --resume` to finish the projections, then retry-parked again');
            process.exitCode = 130;
            return;
          }
        }
        if (before.some((s) => s.component === CHURN_RISK_PROCESS_COMPONENT)) {
          const churnRisk = new ChurnRiskProcess(stores.store, stores.readModels, stores.churnRules());
          const { retried, stillParked } = await churnRisk.retryParked();
          console.log(`churn-risk rules: evaluated ${retried} parked customer(s) again, ${stillParked} still fail`);
        }
        if (before.some((s) => s.component === 'kafka-outbound')) console.log('kafka-outbound: restart the Kafka worker to publish its parked events again');
        const after = await parkedSummary(stores.readModels.reader);
        if (after.length === 0) console.log('nothing is parked any more');
        for (const s of after) console.log(`still parked: ${s.component}: ${s.count} (latest: ${s.latest[0]?.eventId} — ${s.latest[0]?.error})`);
        if (after.some((s) => s.component !== 'kafka-outbound')) process.exitCode = 3;
      } finally {
        await stores.close();
      }
    });
}
