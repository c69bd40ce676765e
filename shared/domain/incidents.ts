import { z } from 'zod';
import { SEVERITIES, Severity } from './alerts';

/** Incidents are classified on the alert severity scale. */
export const INCIDENT_SEVERITIES = SEVERITIES;
export const IncidentSeverity = Severity;
export type IncidentSeverity = Severity;

/** Response targets from the operations manual's incident classification. */
export const RESPONSE_TARGET_MS: Record<IncidentSeverity, number> = {
  critical: 15 * 60_000,
  high: 60 * 60_000,
  medium: 4 * 60 * 60_000,
  low: 24 * 60 * 60_000,
};

/** detect → acknowledge → diagnose → mitigate → resolve → review, in this order only. */
export const INCIDENT_STATES = ['detected', 'acknowledged', 'diagnosing', 'mitigating', 'resolved', 'reviewed'] as const;
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.infer<typeof IncidentState>;

/** An incident not yet resolved. */
export const OPEN_INCIDENT_STATES = ['detected', 'acknowledged', 'diagnosing', 'mitigating'] as const satisfies readonly IncidentState[];

/** What an incident may link to. */
export const LINK_KINDS = ['alert', 'ticket', 'job'] as const;
export const LinkKind = z.enum(LINK_KINDS);
export type LinkKind = z.infer<typeof LinkKind>;
