import { z } from 'zod';
import { Id, Timestamp } from './common';

import { IncidentSeverity, IncidentState, LinkKind } from '../domain/incidents';

// Declared once in shared/domain; re-exported for the existing importers.
export { INCIDENT_SEVERITIES, INCIDENT_STATES, IncidentSeverity, IncidentState, LINK_KINDS, LinkKind, RESPONSE_TARGET_MS } from '../domain/incidents';

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
