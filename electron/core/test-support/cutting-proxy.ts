import net from 'node:net';

/**
 * A TCP proxy in front of a real backend (test support): it forwards bytes as they are and, for
 * connections whose request line starts with `match`, can hold the answer after its first bytes
 * until released, kill the connection after `cutAfter` answer bytes, or send the request to
 * another path (`rewrite`, e.g. a route this server does not have, as an older server would).
 */
export interface CuttingProxy {
  url: string;
  /** Request lines seen for matching connections (`GET /api/v1/sync/snapshot?at=… HTTP/1.1`). */
  requests: string[];
  set(rule: { cutAfter?: number; hold?: boolean; rewrite?: string }): void;
  /** Resolves once a matching answer has started and is held. */
  held(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function cuttingProxy(upstream: string, match: string): Promise<CuttingProxy> {
  const target = new URL(upstream);
  let rule: { cutAfter?: number; hold?: boolean; rewrite?: string } = {};
  const requests: string[] = [];
  let heldResolve: (() => void) | null = null;
  let heldPromise = new Promise<void>((r) => (heldResolve = r));
  const releaseWaiters: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(up);
    let matched = false;
    let seen = 0;
    let holding = false;
    const queued: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      let out = chunk;
      const text = chunk.toString('latin1');
      // Keep-alive: each request on the connection decides whether its answer is matched.
      if (/^[A-Z]+ \//.test(text)) {
        matched = text.startsWith(`GET ${match}`);
        seen = 0;
      }
      if (matched && /^[A-Z]+ \//.test(text)) {
        requests.push(text.slice(0, text.indexOf('\r\n')));
        if (rule.rewrite) out = Buffer.from(text.replace(`GET ${match}`, `GET ${rule.rewrite}`), 'latin1');
      }
      up.write(out);
    });
    up.on('data', (chunk: Buffer) => {
      if (!matched) return void client.write(chunk);
      if (holding) return void queued.push(chunk);
      if (rule.cutAfter !== undefined && seen + chunk.length >= rule.cutAfter) {
        // The bytes before the cut are flushed first (a destroy right after write may drop them).
        up.destroy();
        client.write(chunk.subarray(0, Math.max(0, rule.cutAfter - seen)), () => client.destroy());
        return;
      }
      seen += chunk.length;
      client.write(chunk);
      if (rule.hold && !holding && seen > 0) {
        holding = true;
        up.pause();
        releaseWaiters.push(() => {
          holding = false;
          for (const q of queued.splice(0)) client.write(q);
          up.resume();
        });
        heldResolve?.();
      }
    });
    const end = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set(next) {
      rule = next;
      heldPromise = new Promise<void>((r) => (heldResolve = r));
    },
    held: () => heldPromise,
    release() {
      rule = { ...rule, hold: false };
      for (const w of releaseWaiters.splice(0)) w();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
