#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { limitHeapGrowth } from '@journeyline/platform';
import { registerCopy } from './commands/copy.command';
import { registerExport } from './commands/export.command';
import { registerImport } from './commands/import.command';
import { registerKeys } from './commands/keys.command';
import { registerRebuild } from './commands/rebuild.command';
import { registerRetryParked } from './commands/retry-parked.command';
import { registerSeed } from './commands/seed.command';
import { registerServe } from './commands/serve.command';
import { registerSurvey } from './commands/survey.command';
import { registerTouchpoint } from './commands/touchpoint.command';

/**
 * journeyline: serve, import (NDJSON / CSV / .xlsx), export (events / customers), seed (demo data), rebuild (projections),
 * retry-parked (events set aside), copy (between stores), keys (API keys), survey (hosted surveys and their links). Each command lives in its own file under commands/ and registers itself here.
 */
export function buildCli(): Command {
  const program = new Command('journeyline').description('Event-sourced customer journey tracker: touchpoints, feedback and CX metrics').showHelpAfterError();
  registerServe(program);
  registerImport(program);
  registerExport(program);
  registerSeed(program);
  registerRebuild(program);
  registerRetryParked(program);
  registerCopy(program);
  registerKeys(program);
  registerSurvey(program);
  registerTouchpoint(program);
  return program;
}

if (require.main === module) {
  limitHeapGrowth();
  buildCli()
    .parseAsync(process.argv)
    .catch((error) => {
      console.error(`journeyline: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
