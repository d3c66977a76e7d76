import { Module } from '@nestjs/common';
import { GetFollowUpController } from './get-follow-up/get-follow-up.controller';
import { GetFollowUpHandler } from './get-follow-up/get-follow-up.handler';
import { GetFollowUpStatsController } from './get-follow-up-stats/get-follow-up-stats.controller';
import { GetFollowUpStatsHandler } from './get-follow-up-stats/get-follow-up-stats.handler';
import { ListFollowUpsController } from './list-follow-ups/list-follow-ups.controller';
import { ListFollowUpsHandler } from './list-follow-ups/list-follow-ups.handler';
import { UpdateFollowUpController } from './update-follow-up/update-follow-up.controller';
import { UpdateFollowUpHandler } from './update-follow-up/update-follow-up.handler';

export const QueryHandlers = [ListFollowUpsHandler, GetFollowUpHandler, GetFollowUpStatsHandler];
export const CommandHandlers = [UpdateFollowUpHandler];

/** Follow-ups: bad answers opened them (the follow-up process); people list, assign, note and resolve them. The stats route is declared before `:id`. */
@Module({
  controllers: [ListFollowUpsController, GetFollowUpStatsController, GetFollowUpController, UpdateFollowUpController],
  providers: [...QueryHandlers, ...CommandHandlers],
})
export class FollowUpsModule {}
