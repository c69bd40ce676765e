import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';

/**
 * Where outbound webhooks (Slack, the SMS gateway, any URL an admin sets) may go: https to public
 * addresses. Plain http needs the host in WEBHOOK_ALLOW_HTTP; a private, loopback, link-local or
 * metadata address needs its range in WEBHOOK_ALLOW_PRIVATE. The address is checked again when
 * the connection is made (webhook-post.ts), so a name that resolves somewhere private is refused too.
 */
export interface WebhookPolicy {
  /** Host names (lower case) or IP literals that may be reached over http; '*' allows any. */
  readonly allowHttp: ReadonlySet<string>;
  readonly allowPrivate: BlockList;
  /** Extra CA certificates (PEM) trusted for webhooks, beside the system's. */
  readonly ca?: string;
}

type Family = 'ipv4' | 'ipv6';

/** Ranges a webhook never reaches unless allow-listed: [network, prefix, what it is]. */
const BLOCKED: [string, number, string][] = [
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const RANGES = BLOCKED.map(([net, prefix, label]) => {
  const list = new BlockList();
  const family: Family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(net, prefix, family);
  return { list, label: `${label} ${net}/${prefix}` };
});

const family = (ip: string): Family => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** The IPv4 address inside a NAT64 one (64:ff9b::/96), which BlockList does not unwrap. */
function nat64Inner(ip: string): string | null {
  const m = /^64:ff9b::(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/i.exec(ip);
  if (!m) return null;
  if (m[3]) return m[3];
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** The blocked range an address falls in ("loopback 127.0.0.0/8"), or null when it may be reached. */
export function blockedRange(ip: string, policy: WebhookPolicy): string | null {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return 'not an IP address';
  if (policy.allowPrivate.check(bare, family(bare))) return null;
  const inner = nat64Inner(bare);
  if (inner) return blockedRange(inner, policy);
  return RANGES.find((r) => r.list.check(bare, family(bare)))?.label ?? null;
}

/** Why a webhook URL may not be used (null when it may), checked when it is saved and before each send. */
export function checkWebhookUrl(url: string, policy: WebhookPolicy): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (policy.allowHttp.has('*') || policy.allowHttp.has(host)))) {
    return 'must use https (plain http only for hosts in WEBHOOK_ALLOW_HTTP)';
  }
  if (u.username || u.password) return 'must not carry a user name or password';
  if (isIP(host)) {
    const range = blockedRange(host, policy);
    if (range) return `${host} is a ${range} address; allow it with WEBHOOK_ALLOW_PRIVATE`;
  }
  return null;
}

/** Hides credentials in webhook URLs (Slack's secret is the path): scheme and host only. */
export function maskUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}

const HOST = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;
const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Builds the policy from the settings; throws an Error naming the setting when one is malformed. */
export function parseWebhookPolicy(settings: { WEBHOOK_ALLOW_HTTP?: string; WEBHOOK_ALLOW_PRIVATE?: string; ca?: string }): WebhookPolicy {
  const allowHttp = new Set<string>();
  for (const h of list(settings.WEBHOOK_ALLOW_HTTP)) {
    const bare = h.replace(/^\[|\]$/g, '').toLowerCase();
    if (!isIP(bare) && !HOST.test(bare)) throw new Error(`WEBHOOK_ALLOW_HTTP: "${h}" is not a host name or IP address`);
    allowHttp.add(bare);
  }
  const allowPrivate = new BlockList();
  for (const entry of list(settings.WEBHOOK_ALLOW_PRIVATE)) {
    const [net, prefixText] = entry.split('/');
    const fam = isIP(net ?? '');
    const max = fam === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!fam || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`WEBHOOK_ALLOW_PRIVATE: "${entry}" is not an address or CIDR range (e.g. 10.20.0.0/16)`);
    }
    allowPrivate.addSubnet(net!, prefix, fam === 6 ? 'ipv6' : 'ipv4');
  }
  return { allowHttp, allowPrivate, ...(settings.ca && { ca: settings.ca }) };
}

/** Reads WEBHOOK_CA_FILE; throws an Error naming the setting when it is missing or holds no certificate. */
export function readWebhookCa(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`WEBHOOK_CA_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`, { cause: err });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`WEBHOOK_CA_FILE: ${file} holds no PEM certificate`);
  return pem;
}
