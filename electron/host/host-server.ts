import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DesktopCore } from '../core/desktop-core';
import type { Logger } from '../core/ports';
import { CSP_META_PATTERN, contentSecurityPolicy } from '../../shared/csp';
import { BRIDGE_CLIENT_JS } from './bridge-client';
import { PLACEHOLDER_HTML, PLACEHOLDER_JS } from './placeholder';

export interface HostOptions {
  core: DesktopCore;
  /** The built renderer (out/renderer-web); a placeholder page is served while it does not exist. */
  rendererDir: string;
  port?: number;
  host?: string;
  /** The per-run secret; generated when not given. */
  secret?: string;
}

export interface RunningHost {
  url: string;
  /** The URL to open: it carries the secret the bridge requires. */
  openUrl: string;
  secret: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The browser host's web server: the built renderer on 127.0.0.1 plus the contract bridged over a
 * WebSocket that only accepts connections carrying the per-run secret and a same-origin Origin.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  const rendererDir = path.resolve(options.rendererDir);
  let origin = '';

  const log = options.core.logger;
  const server = http.createServer((req, res) => {
    // One request's failure is logged and answered; it never takes the host down.
    try {
      serve(req, res);
    } catch (err) {
      log.error('browser host: request failed', { url: String(req.url).slice(0, 200), error: (err as Error)?.stack ?? String(err) });
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
      else res.destroy();
    }
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname === '/__opsdesk/bridge.js') return send(res, 200, TYPES['.js']!, BRIDGE_CLIENT_JS);
    if (url.pathname === '/__opsdesk/placeholder.js') return send(res, 200, TYPES['.js']!, PLACEHOLDER_JS);
    if (url.pathname === '/__opsdesk/health') return send(res, 200, 'application/json', JSON.stringify({ ok: true }));
    const indexFile = path.join(rendererDir, 'index.html');
    const pathname = decodePath(url.pathname);
    if (pathname === null) return send(res, 400, 'text/plain', 'malformed URL');
    const file = path.resolve(rendererDir, `.${pathname}`);
    if (!file.startsWith(rendererDir + path.sep) && file !== rendererDir) return send(res, 403, 'text/plain', 'forbidden');
    if (url.pathname !== '/' && url.pathname !== '/index.html' && existsSync(file) && statSync(file).isFile()) {
      // Vite names every built asset by its content hash: those never change under their name, so the
      // browser keeps them (and V8's code cache for the scripts) as the desktop app keeps them on disk.
      const hashed = url.pathname.startsWith('/assets/') && /-[\w-]{8}\.\w+$/.test(url.pathname);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' });
      createReadStream(file).pipe(res);
      return;
    }
    // The app shell (and client-side routes) get index.html with the bridge injected first.
    const html = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : PLACEHOLDER_HTML;
    res.setHeader('content-security-policy', csp(origin));
    send(res, 200, TYPES['.html']!, injectBridge(html));
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 40 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const okSecret = sameSecret(url.searchParams.get('token') ?? '', secret);
    const okOrigin = req.headers.origin === undefined || req.headers.origin === origin;
    if (url.pathname !== '/__opsdesk/bridge' || !okSecret || !okOrigin) {
      socket.write(`HTTP/1.1 ${okSecret ? 403 : 401} ${okSecret ? 'Forbidden' : 'Unauthorized'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, options.core, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    openUrl: `${origin}/?token=${secret}`,
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `/a%20b` → `/a b`; null when the percent-encoding is malformed. */
export function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch (err) {
    if (err instanceof URIError) return null;
    throw err;
  }
}

/** Constant-time comparison of what was given with the secret, whatever either's length in bytes. */
export function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function bridge(ws: WebSocket, core: DesktopCore, log: Logger): void {
  const sendJson = (message: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const off = core.onEvent((event, payload) => sendJson({ type: 'event', event, payload }));
  ws.on('message', (data) => {
    let msg: { type?: unknown; id?: unknown; channel?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch (err) {
      return sendJson({ type: 'error', message: `The frame is not JSON: ${(err as Error).message}` });
    }
    if (msg === null || typeof msg !== 'object' || msg.type !== 'invoke' || typeof msg.id !== 'number') {
      return sendJson({ type: 'error', message: 'Expected {"type":"invoke","id":<number>,"channel":…,"payload":…}' });
    }
    const id = msg.id;
    core
      .dispatch(msg.channel, msg.payload)
      .then((result) => sendJson({ type: 'result', id, result }))
      .catch((err: unknown) => {
        log.error('browser host: bridge call failed', { channel: String(msg.channel).slice(0, 80), error: (err as Error)?.stack ?? String(err) });
        sendJson({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'Something went wrong in the browser host; details are in its log' } } });
      });
  });
  ws.on('close', off);
  ws.on('error', off);
}

/** The bridge script goes first; the build's CSP meta goes (the header below carries the host's policy). */
function injectBridge(html: string): string {
  const tag = '<script src="/__opsdesk/bridge.js"></script>';
  const page = html.replace(CSP_META_PATTERN, '');
  return /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, (m) => `${m}\n${tag}`) : `${tag}\n${page}`;
}

/** The renderer's policy, plus the bridge socket on this origin. */
function csp(origin: string): string {
  return contentSecurityPolicy({ connect: [origin.replace(/^http/, 'ws')] });
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
}
