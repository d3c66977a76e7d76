import { BadRequestException } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Followers } from '@journeyline/platform';
import { TouchpointInputError, TouchpointRegistry } from '@journeyline/projections';
import { EventsAppended } from '../../events/events-appended.event';
import { problem } from '../../http/problem';
import { RegisterTouchpointCommand, type TouchpointRegisteredAnswer } from './register-touchpoint.command';

/**
 * Appends the touchpoint's next version (and its audit entry), then waits a moment for the read
 * models to take it, so the catalog and the metrics by type or owner answer with it at once
 * (read-your-writes; a projector elsewhere that is slower only delays that, never loses it).
 */
@CommandHandler(RegisterTouchpointCommand)
export class RegisterTouchpointHandler implements ICommandHandler<RegisterTouchpointCommand, TouchpointRegisteredAnswer> {
  constructor(
    private readonly registry: TouchpointRegistry,
    private readonly followers: Followers,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ touchpoint, body, actor }: RegisterTouchpointCommand): Promise<TouchpointRegisteredAnswer> {
    try {
      const { entry, changed, position } = await this.registry.register(touchpoint, body, actor);
      if (position !== null) {
        this.eventBus.publish(new EventsAppended(position, 1));
        await this.followers.projector.waitFor(position);
      }
      return { ...entry, changed };
    } catch (error) {
      if (error instanceof TouchpointInputError)
        throw new BadRequestException(
          problem(
            400,
            `the touchpoint definition is invalid: ${error.message}`,
            error.issues.map((issue) => ({ ...issue })),
          ),
        );
      throw error;
    }
  }
}
