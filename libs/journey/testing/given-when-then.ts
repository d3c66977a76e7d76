import type { CustomerCommand } from '@journeyline/journey/customer-commands';
import { decide } from '@journeyline/journey/customer-decider';
import { foldCustomer } from '@journeyline/journey/customer-state';
import type { JourneyEvent } from '@journeyline/journey/journey-events';

/**
 * given(events).when(command).then(events) — the journey rules read as the business states them.
 */
export function given(...history: JourneyEvent[]) {
  return {
    when(command: CustomerCommand) {
      const run = () => decide(command, foldCustomer(history));
      return {
        then(...expected: JourneyEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(rule: string) {
          expect(run).toThrow(expect.objectContaining({ name: 'JourneyRuleViolation', rule }));
        },
      };
    },
  };
}
