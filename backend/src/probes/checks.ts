import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, connect as netConnect } from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { HTTP_METHODS, ProbeKind } from '../../../shared/api/probes';

/** What a probe checks, besides its target: the stored settings of every kind. */
export interface ProbeSettings {
  method: (typeof HTTP_METHODS)[number];
  expectedStatus: string;
  keyword: string | null;
  keywordMode: 'present' | 'absent';
  followRedirects: boolean;
  headers: Record<string, string>;
  authType: 'none' | 'basic' | 'bearer';
  authUsername: string | null;
  serverName: string | null;
  caPem: string | null;
  warningDays: number;
  criticalDays: number;
  recordType: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS';
  expectedAnswer: string | null;
  dnsServer: string | null;
}

export interface CheckSpec {
  kind: ProbeKind;
  target: string;
  timeoutMs: number;
  settings: ProbeSettings;
  /** The opened password or token, when auth is configured. */
  secret: string | null;
}

export interface CheckOutcome {
  success: boolean;
  latencyMs: number;
  message: string | null;
  /** The leaf certificate's expiry (tls probes, https targets). */
  tlsExpiresAt: number | null;
  /** The certificate failed verification (chain or host name): TLS alerts treat it as critical. */
  certificateError: boolean;
}

const MAX_BODY = 1024 * 1024;
const MAX_REDIRECTS = 10;

class CheckFailure extends Error {
  constructor(
    message: string,
    readonly tlsExpiresAt: number | null = null,
    readonly certificateError = false,
  ) {
    super(message);
  }
}

/** Runs one check; never throws: a failure is an outcome with its reason. */
export async function runCheck(spec: CheckSpec): Promise<CheckOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let timer: NodeJS.Timeout | undefined;
  const ac = new AbortController();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new CheckFailure(`no answer within ${spec.timeoutMs} ms`));
    }, spec.timeoutMs);
  });
  try {
    const run = spec.kind === 'http' ? checkHttp(spec, ac.signal) : spec.kind === 'tcp' ? checkTcp(spec.target, ac.signal) : spec.kind === 'tls' ? checkTls(spec, ac.signal) : checkDns(spec);
    const r = await Promise.race([run, timeout]);
    return { success: true, latencyMs: elapsed(), message: r.message, tlsExpiresAt: r.tlsExpiresAt, certificateError: false };
  } catch (err) {
    const f = err instanceof CheckFailure ? err : null;
    return { success: false, latencyMs: elapsed(), message: (err as Error).message || String(err), tlsExpiresAt: f?.tlsExpiresAt ?? null, certificateError: f?.certificateError ?? false };
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

interface Passed {
  message: string | null;
  tlsExpiresAt: number | null;
}

export function splitHostPort(target: string): { host: string; port: number } {
  const i = target.lastIndexOf(':');
  return { host: target.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(target.slice(i + 1)) };
}

export function statusMatches(ranges: string, status: number): boolean {
  return ranges.split(',').some((r) => {
    const [a, b] = r.split('-').map(Number);
    return status >= a! && status <= (b ?? a!);
  });
}

const expiryOf = (cert: PeerCertificate | undefined): number | null => (cert?.valid_to ? Date.parse(cert.valid_to) : null);

function trusted(caPem: string | null): string[] | undefined {
  return caPem ? [...tls.rootCertificates, caPem] : undefined;
}

const CHAIN_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not trusted',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
};

/** Chain and host-name verification of an established TLS socket; the failure names which. */
function verifyPeer(socket: TLSSocket, hostname: string): { expiresAt: number | null } {
  const cert = socket.getPeerCertificate();
  const expiresAt = expiryOf(cert);
  const code = String(socket.authorizationError ?? '');
  // Node reports a host-name mismatch as an authorization error once the chain is fine; checked below.
  if (!socket.authorized && code !== 'ERR_TLS_CERT_ALTNAME_INVALID') throw new CheckFailure(`certificate not trusted: ${CHAIN_ERRORS[code] ? `${CHAIN_ERRORS[code]} (${code})` : code}`, expiresAt, true);
  const identity = tls.checkServerIdentity(hostname, cert);
  if (identity) throw new CheckFailure(`certificate does not match ${hostname}: ${identity.message}`, expiresAt, true);
  return { expiresAt };
}

interface HttpAnswer {
  status: number;
  location: string | undefined;
  body: string;
  tlsExpiresAt: number | null;
}

function request(url: URL, spec: CheckSpec, signal: AbortSignal): Promise<HttpAnswer> {
  const s = spec.settings;
  const headers: Record<string, string> = { 'user-agent': 'OpsDesk-Probe/1', ...s.headers };
  if (s.authType === 'basic' && spec.secret !== null) headers.authorization = `Basic ${Buffer.from(`${s.authUsername ?? ''}:${spec.secret}`).toString('base64')}`;
  if (s.authType === 'bearer' && spec.secret !== null) headers.authorization = `Bearer ${spec.secret}`;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const options = { method: s.method, headers, signal, agent: false as const, ...(secure && { ca: trusted(s.caPem), rejectUnauthorized: false, servername: isIP(host) ? undefined : host }) };
    const req = (secure ? https : http).request(url, options, (res) => {
      let tlsExpiresAt: number | null = null;
      if (secure) {
        try {
          tlsExpiresAt = verifyPeer(res.socket as TLSSocket, host).expiresAt;
        } catch (err) {
          res.destroy();
          reject(err as Error);
          return;
        }
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY), tlsExpiresAt }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function checkHttp(spec: CheckSpec, signal: AbortSignal): Promise<Passed> {
  const s = spec.settings;
  let url = new URL(spec.target);
  let answer = await request(url, spec, signal);
  for (let hops = 0; s.followRedirects && answer.status >= 300 && answer.status < 400 && answer.location; hops++) {
    if (hops >= MAX_REDIRECTS) throw new CheckFailure(`more than ${MAX_REDIRECTS} redirects`);
    url = new URL(answer.location, url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckFailure(`redirect to an unsupported scheme: ${url.protocol}`);
    answer = await request(url, spec, signal);
  }
  if (!statusMatches(s.expectedStatus, answer.status)) throw new CheckFailure(`HTTP ${answer.status}, expected ${s.expectedStatus}`, answer.tlsExpiresAt);
  if (s.keyword) {
    const found = answer.body.includes(s.keyword);
    if (s.keywordMode === 'present' && !found) throw new CheckFailure(`keyword "${s.keyword}" not found`, answer.tlsExpiresAt);
    if (s.keywordMode === 'absent' && found) throw new CheckFailure(`keyword "${s.keyword}" is present`, answer.tlsExpiresAt);
  }
  return { message: `HTTP ${answer.status}`, tlsExpiresAt: answer.tlsExpiresAt };
}

function checkTcp(target: string, signal: AbortSignal): Promise<Passed> {
  const { host, port } = splitHostPort(target);
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ message: 'connected', tlsExpiresAt: null });
    });
    socket.once('error', reject);
  });
}

function checkTls(spec: CheckSpec, signal: AbortSignal): Promise<Passed> {
  const { host, port } = splitHostPort(spec.target);
  const name = spec.settings.serverName ?? host;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIP(name) ? undefined : name, ca: trusted(spec.settings.caPem), rejectUnauthorized: false });
    const onAbort = () => socket.destroy(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      try {
        const { expiresAt } = verifyPeer(socket, name);
        const days = expiresAt === null ? null : Math.floor((expiresAt - Date.now()) / 86_400_000);
        resolve({ message: days === null ? 'no expiry date' : `certificate valid for ${days} more days`, tlsExpiresAt: expiresAt });
      } catch (err) {
        reject(err as Error);
      } finally {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
      }
    });
    socket.once('error', reject);
  });
}

const normalise = (v: string) => v.trim().toLowerCase().replace(/\.$/, '');

async function checkDns(spec: CheckSpec): Promise<Passed> {
  const s = spec.settings;
  const resolver = new Resolver({ timeout: spec.timeoutMs, tries: 1 });
  if (s.dnsServer) resolver.setServers([s.dnsServer]);
  let answers: string[];
  switch (s.recordType) {
    case 'A':
      answers = await resolver.resolve4(spec.target);
      break;
    case 'AAAA':
      answers = await resolver.resolve6(spec.target);
      break;
    case 'CNAME':
      answers = await resolver.resolveCname(spec.target);
      break;
    case 'NS':
      answers = await resolver.resolveNs(spec.target);
      break;
    case 'MX':
      answers = (await resolver.resolveMx(spec.target)).map((m) => m.exchange);
      break;
    case 'TXT':
      answers = (await resolver.resolveTxt(spec.target)).map((t) => t.join(''));
      break;
  }
  if (answers.length === 0) throw new CheckFailure(`no ${s.recordType} record`);
  if (s.expectedAnswer && !answers.some((a) => normalise(a) === normalise(s.expectedAnswer!))) {
    throw new CheckFailure(`${s.recordType} answered ${answers.join(', ')}, expected ${s.expectedAnswer}`);
  }
  return { message: answers.join(', '), tlsExpiresAt: null };
}
