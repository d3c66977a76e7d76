/**
 * Test order for the pool of scripts/test-suites.sh: the fuzz suite's files first (the ingestion
 * file, the longest, before the route shards), then jest's own order. Jest alone would start the
 * route shards last (without timings from an earlier run it orders by file size, and a shard's
 * file is four lines), leaving one worker alone with a five-minute shard at the end.
 */
const Sequencer = require('@jest/test-sequencer').default;

const rank = (path) => (/fuzz-ingestion\.e2e-spec\.ts$/.test(path) ? 0 : /fuzz-routes-\d+\.e2e-spec\.ts$/.test(path) ? 1 : 2);

class PoolSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    return [...ordered].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = PoolSequencer;
