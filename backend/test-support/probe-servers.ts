import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import dns2 from 'dns2';
import { tempDir } from './harness';

/** Real endpoints on 127.0.0.1 for probe tests: HTTP(S) servers, a closed port, a DNS server. */

export interface LocalHttp {
  url: string;
  /** What the next answers carry; tests flip it. */
  body: string;
  status: number;
  /** The last request's headers, to see what the probe sent. */
  lastHeaders: http.IncomingHttpHeaders | null;
  close(): Promise<void>;
}

function handler(state: Omit<LocalHttp, 'url' | 'close'>): http.RequestListener {
  return (req, res) => {
    state.lastHeaders = req.headers;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/' }).end();
      return;
    }
    if (req.url === '/private' && req.headers.authorization !== `Basic ${Buffer.from('probe:s3cret-pass').toString('base64')}` && req.headers.authorization !== 'Bearer tok-123') {
      res.writeHead(401).end('unauthorized');
      return;
    }
    res.writeHead(state.status, { 'content-type': 'text/html' }).end(state.body);
  };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const closer = (server: net.Server) => () => new Promise<void>((resolve) => {
  server.close(() => resolve());
  (server as http.Server).closeAllConnections?.();
});

export async function startHttp(body = '<h1>All systems operational</h1>'): Promise<LocalHttp> {
  const state = { body, status: 200, lastHeaders: null };
  const server = http.createServer(handler(state));
  const port = await listen(server);
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, close: closer(server) });
}

export interface Certificate {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate made by openssl for localhost and 127.0.0.1, valid for `days`. */
export function selfSignedCertificate(days: number, name = 'localhost'): Certificate {
  const dir = tempDir('opsdesk-cert-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name},IP:127.0.0.1`], { stdio: 'pipe' });
  return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

export async function startHttps(cert: Certificate, body = 'secure ok'): Promise<LocalHttp & { port: number }> {
  const state = { body, status: 200, lastHeaders: null };
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, handler(state));
  const port = await listen(server);
  return Object.assign(state, { url: `https://127.0.0.1:${port}`, port, close: closer(server) });
}

/** A loopback port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LocalDns {
  /** host:port for the probe's dnsServer. */
  server: string;
  /** name → A address answered; tests change it. */
  records: Map<string, string>;
  close(): Promise<void>;
}

/** A real DNS server (dns2, UDP) answering A queries from `records`, NXDOMAIN otherwise. */
export async function startDns(records: Record<string, string>): Promise<LocalDns> {
  const map = new Map(Object.entries(records));
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const address = q ? map.get(q.name.toLowerCase()) : undefined;
      if (q && address && q.type === dns2.Packet.TYPE.A) response.answers.push({ name: q.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 60, address } as unknown as (typeof response.answers)[number]);
      else if (!address) response.header.rcode = 3;
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return { server: `127.0.0.1:${addresses.udp!.port}`, records: map, close: () => server.close() };
}

