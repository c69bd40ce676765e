import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { tempDir } from './harness';

/** A self-signed certificate for 127.0.0.1 (Debian's openssl), so the client talks TLS as to a real API server. */
function loopbackCert(): { key: string; cert: string } {
  const dir = tempDir('opsdesk-k8s-tls-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=kube-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const pair = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

/** One answer: a JSON object (200), plain text (200), or an explicit status and body. */
export type Answer = unknown;

/**
 * A stand-in Kubernetes API server on 127.0.0.1 (HTTPS, its CA in the kubeconfig) that replays recorded responses: each
 * `METHOD /path` answers its list in turn, then keeps repeating the last; every request is kept
 * for the test to check what the client sent. Unknown routes answer 404 with a Status object.
 */
export async function startReplay(routes: Record<string, Answer[]>) {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const tls = loopbackCert();
  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://replay');
      const raw = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers['content-type'], authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined });
      const key = `${req.method} ${url.pathname}`;
      const answers = routes[key];
      if (!answers?.length) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `no recording for ${key}`, reason: 'NotFound', code: 404 }));
        return;
      }
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      const a = answers[Math.min(n, answers.length - 1)];
      const explicit = a && typeof a === 'object' && 'replayStatus' in a ? (a as { replayStatus: number; body: unknown }) : null;
      const { status, body } = explicit ? { status: explicit.replayStatus, body: explicit.body } : { status: 200, body: a };
      if (typeof body === 'string') res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    kubeConfig(namespace = 'default'): KubeConfig {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'replay', server: url, caData: Buffer.from(tls.cert).toString('base64') }],
        users: [{ name: 'ops', token: 'replay-token' }],
        contexts: [{ name: 'replay', cluster: 'replay', user: 'ops', namespace }],
        currentContext: 'replay',
      });
      return kc;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
