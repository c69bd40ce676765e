import { z } from 'zod';
import { Severity } from '../domain/alerts';
import { Timestamp } from './common';

export const PROBE_KINDS = ['http', 'tcp', 'tls', 'dns'] as const;
export const ProbeKind = z.enum(PROBE_KINDS);
export type ProbeKind = z.infer<typeof ProbeKind>;

export const PROBE_STATES = ['pending', 'up', 'down', 'paused'] as const;
export const ProbeState = z.enum(PROBE_STATES);
export type ProbeState = z.infer<typeof ProbeState>;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;
export const AUTH_TYPES = ['none', 'basic', 'bearer'] as const;

/** "200-299", "200,204", "301-302,200". */
export const StatusRanges = z
  .string()
  .trim()
  .regex(/^[1-5]\d\d(-[1-5]\d\d)?(,[1-5]\d\d(-[1-5]\d\d)?)*$/, 'must be status codes or ranges, e.g. 200-299 or 200,204');

/** host:port, or [v6]:port. */
const HostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const HostName = /^[A-Za-z0-9_.-]+$/;

const fields = {
  name: z.string().trim().min(1, 'is required').max(100).regex(/^[^{}"\\]+$/, 'may not contain braces, quotes or backslashes'),
  kind: ProbeKind,
  /** URL for http; host:port for tcp and tls; a host name for dns. */
  target: z.string().trim().min(1, 'is required').max(2000),
  intervalSeconds: z.number().int().min(5).max(86_400).default(60),
  timeoutSeconds: z.number().min(0.1).max(120).default(10),
  /** Failed checks tolerated before the probe counts as down (0: the first failure). */
  retries: z.number().int().min(0).max(20).default(0),
  /** How long the probe must be down before the alert fires. */
  forSeconds: z.number().int().min(0).max(86_400).default(0),
  severity: Severity.default('high'),
  method: z.enum(HTTP_METHODS).default('GET'),
  expectedStatus: StatusRanges.default('200-299'),
  keyword: z.string().max(500).nullable().default(null),
  keywordMode: z.enum(['present', 'absent']).default('present'),
  followRedirects: z.boolean().default(true),
  headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a header name'), z.string().max(4000).regex(/^[^\r\n]*$/, 'may not contain line breaks')).default({}),
  authType: z.enum(AUTH_TYPES).default('none'),
  authUsername: z.string().max(200).nullable().default(null),
  /** TLS: the name checked against the certificate (default: the target's host). */
  serverName: z.string().trim().max(253).nullable().default(null),
  /** TLS: extra trusted CA certificates (PEM), for private CAs. */
  caPem: z.string().max(20_000).regex(/^\s*(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/, 'must be PEM certificates').nullable().default(null),
  warningDays: z.number().int().min(1).max(365).default(30),
  criticalDays: z.number().int().min(0).max(365).default(7),
  recordType: z.enum(DNS_RECORD_TYPES).default('A'),
  /** DNS: an answer that must be among the records (empty: any answer). */
  expectedAnswer: z.string().trim().max(500).nullable().default(null),
  /** DNS: the resolver to ask, host:port or host (default: the system's). */
  dnsServer: z.string().trim().max(300).nullable().default(null),
};

/** The secret of basic (password) or bearer (token) auth: write-only, never returned. */
const Secret = z.string().min(1).max(4000);

function checkProbe(p: Partial<z.infer<z.ZodObject<typeof fields>>> & { secret?: string | null }, ctx: z.RefinementCtx, hasSecret: boolean): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (p.kind === 'http' && p.target !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(p.target);
    } catch {
      issue('target', 'must be an http:// or https:// URL');
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') issue('target', 'must be an http:// or https:// URL');
  }
  if ((p.kind === 'tcp' || p.kind === 'tls') && p.target !== undefined && !HostPort.test(p.target)) issue('target', 'must be host:port');
  if (p.kind === 'dns' && p.target !== undefined && !HostName.test(p.target)) issue('target', 'must be a host name');
  if (p.dnsServer && !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(p.dnsServer)) issue('dnsServer', 'must be host or host:port');
  if (p.timeoutSeconds !== undefined && p.intervalSeconds !== undefined && p.timeoutSeconds > p.intervalSeconds) issue('timeoutSeconds', 'must not be longer than the interval');
  if (p.warningDays !== undefined && p.criticalDays !== undefined && p.criticalDays >= p.warningDays) issue('criticalDays', 'must be fewer days than the warning');
  // Credentials go in the auth settings (sealed, never returned), not in headers (returned as is).
  if (p.headers && Object.keys(p.headers).some((h) => /^(proxy-)?authorization$/i.test(h))) issue('headers', 'put credentials in the authentication settings, not in headers');
  if (p.authType === 'basic' && !p.authUsername) issue('authUsername', 'is required for basic auth');
  if ((p.authType === 'basic' || p.authType === 'bearer') && !p.secret && !hasSecret) issue('secret', p.authType === 'basic' ? 'a password is required' : 'a token is required');
}

export const CreateProbeRequest = z
  .object({ ...fields, paused: z.boolean().default(false), secret: Secret.nullable().optional() })
  .superRefine((p, ctx) => checkProbe(p, ctx, false));
export type CreateProbeRequest = z.input<typeof CreateProbeRequest>;

/** Every field optional; `secret` omitted keeps the stored one. Checked again against the merged probe. */
export const UpdateProbeRequest = z.object({
  ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v instanceof z.ZodDefault ? v.unwrap() : v).optional()])),
  paused: z.boolean().optional(),
  secret: Secret.nullable().optional(),
}) as unknown as z.ZodType<UpdateProbeRequest, UpdateProbeRequest>;
export type UpdateProbeRequest = Partial<z.input<typeof CreateProbeRequest>>;

/** The merged probe (stored + patch) is checked with the same rules as a new one. */
export function probeIssues(p: z.infer<z.ZodObject<typeof fields>> & { secret?: string | null }, hasSecret: boolean): z.core.$ZodIssue[] {
  const result = z
    .object(fields)
    .extend({ secret: Secret.nullable().optional() })
    .superRefine((v, ctx) => checkProbe(v, ctx, hasSecret))
    .safeParse(p);
  return result.success ? [] : result.error.issues;
}

export const Probe = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProbeKind,
  target: z.string(),
  intervalSeconds: z.number(),
  timeoutSeconds: z.number(),
  retries: z.number(),
  forSeconds: z.number(),
  severity: Severity,
  method: z.enum(HTTP_METHODS),
  expectedStatus: z.string(),
  keyword: z.string().nullable(),
  keywordMode: z.enum(['present', 'absent']),
  followRedirects: z.boolean(),
  headers: z.record(z.string(), z.string()),
  authType: z.enum(AUTH_TYPES),
  authUsername: z.string().nullable(),
  /** Whether a password or token is stored (it is never returned). */
  secretSet: z.boolean(),
  serverName: z.string().nullable(),
  caPem: z.string().nullable(),
  warningDays: z.number(),
  criticalDays: z.number(),
  recordType: z.enum(DNS_RECORD_TYPES),
  expectedAnswer: z.string().nullable(),
  dnsServer: z.string().nullable(),
  paused: z.boolean(),
  state: ProbeState,
  lastCheckedAt: Timestamp.nullable(),
  lastLatencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  /** When the certificate (tls, https) expires. */
  tlsExpiresAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Probe = z.infer<typeof Probe>;

export const ProbeResult = z.object({
  at: Timestamp,
  success: z.boolean(),
  latencyMs: z.number(),
  message: z.string().nullable(),
  tlsExpiresAt: Timestamp.nullable(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const ProbeResultsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
