import type { Actor } from '@journeyline/access';
import type { TouchpointVersion } from '@journeyline/projections';

/** Registers a touchpoint, or changes its definition (the body is checked by the domain, field by field). */
export class RegisterTouchpointCommand {
  constructor(
    readonly touchpoint: string,
    readonly body: unknown,
    readonly actor: Actor,
  ) {}
}

/** The definition at its latest version; `changed` is false when the same definition was already the latest. */
export interface TouchpointRegisteredAnswer extends TouchpointVersion {
  changed: boolean;
}
