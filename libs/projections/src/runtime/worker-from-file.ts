import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running the module `file`, given `workerData` (and V8 heap limits, when given). Under the TypeScript sources
 * (tests, `npm run journeyline`) the thread compiles its file the way the CLI does.
 */
export function workerFromFile(file: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  // threads without limits of their own get Node's options exactly as before limits could be given
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  return file.endsWith('.ts')
    ? new Worker(`require('@swc-node/register'); require(${JSON.stringify(file)});`, { eval: true, ...options })
    : new Worker(file, options);
}
