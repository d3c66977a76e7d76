import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `file`, given `workerData`. Under the TypeScript sources
 * (tests, `npm run journeyline`) the thread compiles its file the way the CLI does.
 */
export function workerFromFile(file: string, workerData: unknown): Worker {
  return file.endsWith('.ts')
    ? new Worker(`require('@swc-node/register'); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
