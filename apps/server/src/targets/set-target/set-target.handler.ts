import { BadRequestException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Target } from '@journeyline/journey';
import { TargetBook, TargetInputError } from '@journeyline/platform';
import { problem } from '../../http/problem';
import { SetTargetCommand } from './set-target.command';

/** Appends TargetSet (and its audit entry); a target the domain refuses is a 400 naming each field. */
@CommandHandler(SetTargetCommand)
export class SetTargetHandler implements ICommandHandler<SetTargetCommand, Target> {
  constructor(private readonly targets: TargetBook) {}

  async execute({ request, actor }: SetTargetCommand): Promise<Target> {
    try {
      return await this.targets.set(request, actor);
    } catch (error) {
      if (error instanceof TargetInputError)
        throw new BadRequestException(
          problem(
            400,
            `the target is invalid: ${error.message}`,
            error.issues.map((i) => ({ ...i })),
          ),
        );
      throw error;
    }
  }
}
