import { z } from 'zod';
import { ServiceScrapeSpec } from './scrape';
import { Timestamp } from './common';

export const ServiceHealthSpec = z.discriminatedUnion('kind', [
  /** Healthy once every replica has stayed up this long. */
  z.object({ kind: z.literal('running'), graceMs: z.number().int().min(0).max(600_000).default(500) }),
  z.object({ kind: z.literal('tcp'), host: z.string().default('127.0.0.1'), port: z.number().int().min(1).max(65535) }),
  z.object({ kind: z.literal('http'), url: z.string().url() }),
  z.object({ kind: z.literal('command'), argv: z.array(z.string()).min(1) }),
]);
export type ServiceHealthSpec = z.infer<typeof ServiceHealthSpec>;

/**
 * docker driver: a compose service (containers labelled com.docker.compose.project/service; the
 * service defaults to the declared name) or one named container.
 */
export const DockerTarget = z
  .object({
    project: z.string().min(1).max(200).optional(),
    service: z.string().min(1).max(200).optional(),
    container: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((t) => Boolean(t.project) !== Boolean(t.container), 'name either a compose project (and service) or a container');
export type DockerTarget = z.infer<typeof DockerTarget>;

/** kubernetes driver: a Deployment; the kubeconfig context defaults to the current one (or in-cluster). */
export const KubernetesTarget = z
  .object({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63).default('default'),
    deployment: z.string().regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/).max(253),
    context: z.string().min(1).optional(),
  })
  .strict();
export type KubernetesTarget = z.infer<typeof KubernetesTarget>;

/** One service as declared in SERVICES_FILE. */
export const ServiceSpec = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
  description: z.string().default(''),
  driver: z.enum(['process', 'systemd', 'docker', 'kubernetes']).default('process'),
  /** process driver: argv of one replica. `{{replica}}` is replaced by the replica index. */
  command: z.array(z.string()).min(1).optional(),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  replicas: z.number().int().min(0).default(1),
  maxReplicas: z.number().int().min(1).default(10),
  dependsOn: z.array(z.string()).default([]),
  health: ServiceHealthSpec.default({ kind: 'running', graceMs: 500 }),
  startTimeoutMs: z.number().int().min(100).default(120_000),
  stopTimeoutMs: z.number().int().min(100).default(10_000),
  /** systemd driver: the unit name. */
  unit: z.string().optional(),
  docker: DockerTarget.optional(),
  kubernetes: KubernetesTarget.optional(),
  /** The service's Prometheus metrics endpoint: OpsDesk scrapes it as a target (job = the service's name). */
  scrape: ServiceScrapeSpec.optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;
export const ServicesFile = z.object({ services: z.array(ServiceSpec) });

export const ReplicaState = z.object({
  index: z.number().int(),
  pid: z.number().int().nullable(),
  state: z.enum(['starting', 'running', 'stopping', 'stopped', 'crashed', 'backoff']),
  startedAt: Timestamp.nullable(),
  restarts: z.number().int(),
  lastExit: z.string().nullable(),
  /** Container id or pod name, where the driver has one. */
  id: z.string().optional(),
  image: z.string().optional(),
  /** The replica's own health check (Docker HEALTHCHECK, pod readiness) where it has one. */
  health: z.enum(['healthy', 'unhealthy', 'starting', 'none']).optional(),
});

export const ServiceStatus = z.object({
  name: z.string(),
  description: z.string(),
  driver: z.string(),
  desiredReplicas: z.number().int(),
  maxReplicas: z.number().int(),
  dependsOn: z.array(z.string()),
  health: z.enum(['healthy', 'unhealthy', 'starting', 'stopped', 'unknown']),
  healthMessage: z.string().nullable(),
  replicas: z.array(ReplicaState),
  /** When the newest replica started (the last restart), and the last crash seen, where known. */
  lastRestartAt: Timestamp.nullable().optional(),
  lastCrash: z.object({ at: Timestamp.nullable(), message: z.string() }).nullable().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;
export const ServiceNameParams = z.object({ name: z.string().min(1).max(100) });
export const ScaleServiceRequest = z.object({ replicas: z.number().int().min(0).max(1000), confirmation: z.string().max(200).optional() });
export const ServiceLogsQuery = z.object({ lines: z.coerce.number().int().min(1).max(500).default(50) });
export const ServiceLogs = z.object({ name: z.string(), lines: z.array(z.object({ replica: z.string(), line: z.string() })), supported: z.boolean() });
export type ServiceLogs = z.infer<typeof ServiceLogs>;
