import { NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TargetBook } from '@journeyline/platform';
import { problem } from '../../http/problem';
import { RemoveTargetCommand } from './remove-target.command';

@CommandHandler(RemoveTargetCommand)
export class RemoveTargetHandler implements ICommandHandler<RemoveTargetCommand, { targetId: string; removed: true }> {
  constructor(private readonly targets: TargetBook) {}

  async execute({ targetId, actor }: RemoveTargetCommand): Promise<{ targetId: string; removed: true }> {
    if (!(await this.targets.remove(targetId, actor)))
      throw new NotFoundException(problem(404, `no target ${targetId}`, [{ field: 'targetId', reason: 'no target has this id' }]));
    return { targetId, removed: true };
  }
}
