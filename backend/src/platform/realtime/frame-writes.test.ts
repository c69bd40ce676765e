import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { batchFrameWrites } from './live-server';

/** Counts the writes (system calls) on each server-side TCP socket, and emits a burst of broadcasts. */
async function burst(corked: boolean): Promise<{ writes: number; received: number[] }> {
  const http: HttpServer = createServer();
  const io = new Server(http, { serveClient: false });
  const tcp: NetSocket[] = [];
  io.engine.on('connection', (conn: { request: { socket: NetSocket } }) => {
    tcp.push(conn.request.socket);
    if (corked) batchFrameWrites(conn as never);
  });
  // The first transport is the WebSocket (no polling), so the upgrade request's socket is the one ws writes to.
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const client: Socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false });
  const received: number[] = [];
  client.on('n', (n: number) => received.push(n));
  await new Promise<void>((r) => client.once('connect', () => r()));
  cleanup = async () => {
    client.close();
    await new Promise<void>((r) => io.close(() => r()));
  };
  let writes = 0;
  for (const s of tcp) {
    const methods = s as unknown as Record<string, (...args: unknown[]) => void>;
    for (const m of ['_write', '_writev']) {
      const original = methods[m]!.bind(s);
      methods[m] = (...args: unknown[]) => {
        writes++;
        original(...args);
      };
    }
  }
  // A webhook batch: 50 events published one after another in the same turn of the event loop.
  for (let n = 0; n < 50; n++) io.emit('n', n);
  const deadline = Date.now() + 5000;
  while (received.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return { writes, received };
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe('batchFrameWrites', () => {
  it('also applies when a polling connection upgrades to WebSocket', async () => {
    const http: HttpServer = createServer();
    const io = new Server(http, { serveClient: false });
    const upgraded: boolean[] = [];
    io.engine.on('connection', (conn: { transport: object; on(e: 'upgrade', l: (t: { name: string }) => void): void }) => {
      batchFrameWrites(conn as never);
      // Polling is not wrapped; the WebSocket it upgrades to is (its own `send` replaces the prototype's).
      upgraded.push(Object.hasOwn(conn.transport, 'send'));
      conn.on('upgrade', (t) => upgraded.push(t.name === 'websocket' && Object.hasOwn(t, 'send')));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const client: Socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['polling', 'websocket'], reconnection: false });
    const got: number[] = [];
    client.on('n', (n: number) => got.push(n));
    cleanup = async () => {
      client.close();
      await new Promise<void>((r) => io.close(() => r()));
    };
    const deadline = Date.now() + 5000;
    while (upgraded.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(upgraded).toEqual([false, true]);
    for (let n = 0; n < 20; n++) io.emit('n', n);
    while (got.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('sends a burst of broadcasts in a few writes instead of one per frame, in order', async () => {
    const plain = await burst(false);
    await cleanup?.();
    const batched = await burst(true);
    const all = Array.from({ length: 50 }, (_, n) => n);
    expect(plain.received).toEqual(all);
    expect(batched.received).toEqual(all);
    // engine.io writes the first frame at once and flushes the other 49 together when it completes.
    expect(plain.writes).toBeGreaterThanOrEqual(40);
    expect(batched.writes).toBeLessThanOrEqual(3);
  });
});
