import { z } from 'zod';
import { Id, Timestamp } from './common';

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const IncidentSeverity = z.enum(INCIDENT_SEVERITIES);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

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

export const LinkKind = z.enum(['alert', 'ticket', 'job']);
export type LinkKind = z.infer<typeof LinkKind>;

export const TimelineEntry = z.object({
  id: Id,
  at: Timestamp,
  kind: z.enum(['created', 'state', 'note', 'link', 'unlink', 'alert', 'breach', 'review', 'update']),
  authorId: z.string().nullable(),
  body: z.string(),
  data: z.unknown().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const IncidentLink = z.object({ kind: LinkKind, refId: z.string(), at: Timestamp });

export const Incident = z.object({
  id: Id,
  title: z.string(),
  description: z.string().nullable(),
  severity: IncidentSeverity,
  state: IncidentState,
  commanderId: z.string().nullable(),
  createdBy: z.string().nullable(),
  detectedAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  reviewedAt: Timestamp.nullable(),
  responseDueAt: Timestamp,
  responseBreached: z.boolean(),
  summary: z.string().nullable(),
  rootCause: z.string().nullable(),
  followUps: z.array(z.string()),
  links: z.array(IncidentLink),
  updatedAt: Timestamp,
});
export type Incident = z.infer<typeof Incident>;
export const IncidentDetail = Incident.extend({ timeline: z.array(TimelineEntry) });

export const CreateIncidentRequest = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).optional(),
  severity: IncidentSeverity.optional().describe('default: highest severity of the linked alerts, else medium'),
  commanderId: Id.optional(),
  alertIds: z.array(Id).max(100).default([]),
  ticketIds: z.array(Id).max(100).default([]),
});
export const UpdateIncidentRequest = z
  .object({
    title: z.string().trim().min(1).max(300),
    description: z.string().max(20_000).nullable(),
    severity: IncidentSeverity,
    commanderId: Id.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const TransitionRequest = z.object({ state: IncidentState, note: z.string().max(10_000).optional() });
export const IncidentNoteRequest = z.object({ body: z.string().trim().min(1).max(20_000) });
export const LinkRequest = z.object({ kind: LinkKind, refId: Id });
export const ReviewRequest = z
  .object({ summary: z.string().max(50_000), rootCause: z.string().max(50_000), followUps: z.array(z.string().trim().min(1).max(2000)).max(100) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const IncidentQuery = z.object({
  state: z.string().optional().describe('comma-separated states, or open'),
  severity: IncidentSeverity.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
