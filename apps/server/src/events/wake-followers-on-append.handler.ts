import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Followers } from '@journeyline/platform';
import { EventsAppended } from './events-appended.event';

/** This process appended: the projector and the churn-risk rules follow at once instead of at their next poll. */
@EventsHandler(EventsAppended)
export class WakeFollowersOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly followers: Followers) {}

  handle(): void {
    this.followers.wake();
  }
}
