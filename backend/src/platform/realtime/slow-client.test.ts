import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createUserAndLogin, startTestServer, type TestServer } from '../../../test-support/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a live client that stops reading', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { LIVE_MAX_BUFFERED_PACKETS: '50' } });
    token = (await createUserAndLogin(server, { ...ADMIN, role: 'admin' })).accessToken;
  });
  afterAll(() => server.dispose());

  it('is dropped once its queue passes the limit, while a reading client keeps everything; it reconnects when it reads again', { timeout: 60_000 }, async () => {
    const connect = () => {
      const s = io(server.url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 100 });
      return new Promise<Socket>((resolve) => s.once('ready', () => resolve(s)));
    };
    const reader = await connect();
    const stalled = await connect();
    let readerGot = 0;
    reader.on('alert.fired', () => readerGot++);
    // The stalled client's TCP socket stops reading: the server's writes back up into engine.io's queue.
    const tcp = (stalled.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
    tcp.pause();
    const live = server.live;
    const payload = 'x'.repeat(16 * 1024);
    const total = 3000;
    for (let i = 0; i < total; i++) {
      server.services.events.publish({ type: 'alert.fired', seq: i, actor: null, at: Date.now(), data: { labels: { n: String(i) }, payload } } as never, { kind: 'all' });
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    // The server's own sweep (every second) or this call closes it, whichever comes first; once.
    const droppedCount = async () => {
      live.dropSlowClients();
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      return Number(/opsdesk_socket_slow_clients_dropped_total (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    await expect.poll(droppedCount, { timeout: 20_000, interval: 100 }).toBe(1);
    await expect.poll(() => readerGot, { timeout: 20_000 }).toBe(total);
    await sleep(1_200);
    expect(await droppedCount()).toBe(1);

    // Reading again, it sees the close, reconnects on its own and is ready.
    const again = new Promise<void>((resolve) => stalled.once('ready', () => resolve()));
    tcp.resume();
    await again;
    expect(stalled.connected).toBe(true);
    reader.disconnect();
    stalled.disconnect();
  });
});
