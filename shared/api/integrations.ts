import { z } from 'zod';
import { InboundAlertStatus } from '../domain/alerts';
import { Labels, Severity } from './alerts';

const IsoTime = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time');
const StrMap = z.record(z.string().max(200), z.string().max(10_000));

/** Prometheus Alertmanager webhook payload, version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const AlertmanagerAlert = z.object({
  status: InboundAlertStatus,
  labels: StrMap,
  annotations: StrMap.default({}),
  startsAt: IsoTime,
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(4000).optional(),
  fingerprint: z.string().max(200).optional(),
});
export const AlertmanagerWebhook = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4000),
  truncatedAlerts: z.number().int().optional(),
  status: InboundAlertStatus,
  receiver: z.string().max(500),
  groupLabels: StrMap.default({}),
  commonLabels: StrMap.default({}),
  commonAnnotations: StrMap.default({}),
  externalURL: z.string().max(4000).optional(),
  alerts: z.array(AlertmanagerAlert).min(1).max(5000),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

/** Grafana unified-alerting webhook contact point payload. */
export const GrafanaAlert = AlertmanagerAlert.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().max(10_000).optional(),
});
export const GrafanaWebhook = z.object({
  receiver: z.string().max(500),
  status: InboundAlertStatus,
  orgId: z.number().int().optional(),
  alerts: z.array(GrafanaAlert).min(1).max(5000),
  groupLabels: StrMap.default({}),
  commonLabels: StrMap.default({}),
  commonAnnotations: StrMap.default({}),
  externalURL: z.string().max(4000).optional(),
  version: z.string().max(10).optional(),
  groupKey: z.string().max(4000).optional(),
  truncatedAlerts: z.number().int().optional(),
  title: z.string().max(2000).optional(),
  state: z.string().max(50).optional(),
  message: z.string().max(20_000).optional(),
});
export type GrafanaWebhook = z.infer<typeof GrafanaWebhook>;

/** Our own simple format for scripts and other tools. */
export const GenericAlert = z.object({
  name: z.string().trim().min(1).max(200),
  status: InboundAlertStatus.default('firing'),
  severity: Severity.default('medium'),
  summary: z.string().max(2000).optional(),
  description: z.string().max(10_000).optional(),
  labels: Labels.default({}),
  value: z.number().optional(),
  fingerprint: z.string().max(200).optional().describe('default: name + labels'),
  source: z.string().max(100).optional(),
});
export const GenericWebhook = z.union([GenericAlert, z.object({ alerts: z.array(GenericAlert).min(1).max(5000) })]);
export type GenericWebhook = z.infer<typeof GenericWebhook>;

export const IngestResult = z.object({ received: z.number().int(), fired: z.number().int(), updated: z.number().int(), resolved: z.number().int(), ids: z.array(z.string()) });
export type IngestResult = z.infer<typeof IngestResult>;
