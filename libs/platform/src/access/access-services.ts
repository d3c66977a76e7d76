import { hkdfSync } from 'node:crypto';
import { ApiKeyRegistry } from '@journeyline/access';
import type { EventStore } from '@journeyline/event-store';
import { PersonalData } from '@journeyline/privacy';
import type { JourneylineConfig } from '../config/journeyline-config';
import { openKeyVault } from '../stores/store-location';

/** The API keys of the configured store, as every process (server, CLI) must see them: the Segment write key, and sessions signed with a secret from JOURNEYLINE_MASTER_KEY when it is set. */
export function apiKeyRegistry(store: EventStore, config: JourneylineConfig): ApiKeyRegistry {
  const master = config.privacy.masterKey;
  return new ApiKeyRegistry(store, {
    segmentWriteKey: config.access.segmentWriteKey,
    sessionSecret: master ? Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'journeyline sessions', 32)) : null,
  });
}

/** Personal data of the configured store: its key vault, the master key, the portrait fields declared personal. */
export async function personalData(config: JourneylineConfig): Promise<PersonalData> {
  return new PersonalData(await openKeyVault(config), { masterKey: config.privacy.masterKey, personalPortrait: config.privacy.personalPortrait });
}
