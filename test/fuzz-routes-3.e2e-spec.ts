/** The fuzz suite's routes of the router, shard 3 of 3 (test/support/fuzz-routes.ts; the suite's rules in test/support/fuzz-harness.ts). */
import { describeRouteFuzzing } from './support/fuzz-routes';

describeRouteFuzzing(2, 3);
