import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './harness';

/** Lets the server post to receivers on 127.0.0.1 over http (the default refuses both). */
export const LOOPBACK_WEBHOOKS = { WEBHOOK_ALLOW_HTTP: '127.0.0.1,localhost', WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' } as const;

/** A throwaway self-signed certificate for 127.0.0.1 and localhost, made by openssl. */
export function selfSignedCert(): { key: string; cert: string; certFile: string; dispose(): void } {
  const dir = tempDir('opsdesk-tls-');
  const key = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Receiver {
  url: string;
  port: number;
  /** Bodies received, parsed as JSON. */
  posts: any[];
  close(): Promise<void>;
}

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A real HTTP or HTTPS receiver on 127.0.0.1 that records each JSON body and answers with `answer`. */
export async function startReceiver(answer: Answer = (_q, r) => r.writeHead(200).end('ok'), tls?: { key: string; cert: string }): Promise<Receiver> {
  const posts: any[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (body) posts.push(JSON.parse(body));
      answer(req, res);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/hook`,
    port,
    posts,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
