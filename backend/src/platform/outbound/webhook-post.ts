import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { STATUS_CODES } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { blockedRange, checkWebhookUrl, type WebhookPolicy } from './address-policy';

/** A failed webhook: the HTTP status when the receiver answered, and a short reason of our own. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

class RefusedAddress extends Error {
  readonly code = 'EWEBHOOKREFUSED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** DNS as usual, but every address the name resolves to must pass the policy (no rebinding to 127.0.0.1). */
function guardedLookup(policy: WebhookPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const range = blockedRange(a.address, policy);
        if (range) return callback(new RefusedAddress(`${hostname} resolves to ${a.address}, a ${range} address not allow-listed (WEBHOOK_ALLOW_PRIVATE)`), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/;

/** A short reason for a failed request, from our side of the connection only. */
function reason(err: NodeJS.ErrnoException): string {
  if (err instanceof RefusedAddress) return err.message;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (TLS_CODES.test(code)) return `TLS: certificate not trusted (${code})`;
  return (code || err.message || 'request failed').slice(0, 120);
}

const statusText = (status: number) => `${status} ${STATUS_CODES[status] ?? ''}`.trim();

/**
 * POSTs JSON to a webhook within `timeoutMs` (DNS, connect, TLS and the answer together). Refuses a
 * URL or a resolved address the policy does not allow, never follows a redirect, and never reads
 * the receiver's body or reason phrase into the error (they may echo secrets or internals).
 */
export function postWebhook(url: string, body: unknown, options: { policy: WebhookPolicy; timeoutMs: number }): Promise<{ status: number }> {
  const { policy, timeoutMs } = options;
  const refusal = checkWebhookUrl(url, policy);
  if (refusal) return Promise.reject(new WebhookError(`webhook URL ${refusal}`, null));
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: WebhookError | null, status = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve({ status });
    };
    const req = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, 'user-agent': 'OpsDesk-webhook' },
        lookup: guardedLookup(policy),
        ...(secure && policy.ca ? { ca: [...rootCertificates, policy.ca] } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.destroy();
        if (status >= 200 && status < 300) finish(null, status);
        else if (status >= 300 && status < 400) finish(new WebhookError(`redirect not followed (${statusText(status)})`, status));
        else finish(new WebhookError(`webhook answered ${statusText(status)}`, status));
      },
    );
    // The connected address is checked too: a literal IP or a resolver path that bypassed the lookup above.
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const range = socket.remoteAddress ? blockedRange(socket.remoteAddress, policy) : null;
        if (range) finish(new WebhookError(`connected to ${socket.remoteAddress}, a ${range} address not allow-listed`, null));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(new WebhookError(reason(err), null)));
    const timer = setTimeout(() => finish(new WebhookError(`timed out after ${timeoutMs} ms`, null)), timeoutMs);
    req.end(payload);
  });
}
