import { z } from 'zod';

export const HealthStatus = z.enum(['ok', 'degraded', 'down']);
export const HealthCheckResult = z.object({
  name: z.string(),
  status: HealthStatus,
  latencyMs: z.number(),
  message: z.string().optional(),
});
export type HealthCheckResult = z.infer<typeof HealthCheckResult>;

export const HealthReport = z.object({
  status: HealthStatus,
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.array(HealthCheckResult),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** `/livez`: the process is alive and serving; nothing else is checked. */
export const Liveness = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
