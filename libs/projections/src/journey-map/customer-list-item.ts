import type { Stage } from '@journeyline/journey';

/** A customer as the list shows them (`GET /api/v1/customers`); its own file, so the dashboard imports the type alone. */
export interface CustomerListItem {
  customerId: string;
  currentStage: Stage | null;
  currentStageLabel: { en: string; vi: string } | null;
  currentStageSince: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  segment: string | null;
  region: string | null;
  acquisitionChannel: string | null;
  /** Null when not given, or when erased. */
  name: string | null;
  /** Their personal data was erased. */
  erased: boolean;
  churned: boolean;
  churnRisk: boolean;
  churnRiskRules: string[];
  openTickets: number;
  lastNps: number | null;
  eventCount: number;
}
