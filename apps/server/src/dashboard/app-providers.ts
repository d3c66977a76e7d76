import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';

/**
 * The dashboard module is imported by AppModule, whose providers (event store, read models,
 * config, projection host) are not exported to it; it looks them up in the whole app once the
 * app is built. Call it from request handlers and lifecycle hooks, never from a constructor.
 */
export function appProvider<T>(moduleRef: ModuleRef, token: symbol | Type<T>): T {
  return moduleRef.get<T>(token as Type<T>, { strict: false });
}
