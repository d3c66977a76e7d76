import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Followers } from '@journeyline/platform';
import { ChurnRulesRegistry } from '@journeyline/projections';
import { churnRulesEntry } from '../definitions-answers';
import { definitionsProblem } from '../definitions-problem';
import { ChangeChurnRulesCommand, type ChurnRulesChangedAnswer } from './change-churn-rules.command';

/**
 * Appends the next version of the churn-risk rules (with its audit entry) and wakes the
 * churn-risk process, which takes the new version on its next pass and evaluates every customer
 * under it (other processes within a second): flags it now holds are raised, flags it does not
 * are cleared, each event naming the version. Earlier flags stay as they were recorded.
 */
@CommandHandler(ChangeChurnRulesCommand)
export class ChangeChurnRulesHandler implements ICommandHandler<ChangeChurnRulesCommand, ChurnRulesChangedAnswer> {
  constructor(
    private readonly registry: ChurnRulesRegistry,
    private readonly followers: Followers,
  ) {}

  async execute({ rules, actor }: ChangeChurnRulesCommand): Promise<ChurnRulesChangedAnswer> {
    try {
      const { entry, changed } = await this.registry.change(rules, actor);
      if (changed) this.followers.wake();
      return { ...churnRulesEntry(entry), changed };
    } catch (error) {
      throw definitionsProblem(error, 'churn-risk rules');
    }
  }
}
