import { io, type Socket } from 'socket.io-client';

/**
 * The desktops of bench/oncall-paging.bench.ts: socket.io clients that confirm every `alert.notify`
 * and record raise → receipt from the alert's `sentAt` label. Run in the bench's process or, forked
 * (`--import tsx`), in a process of their own that the bench drives over IPC:
 * { type: 'connect', url, tokens, readyEvent } → 'connected'; { type: 'count' } → 'count';
 * { type: 'collect' } → 'latencies' (and the sockets close).
 */
export async function connectDesktops(url: string, tokens: string[], readyEvent: 'ready' | 'connect'): Promise<{ latencies: number[]; sockets: Socket[] }> {
  const latencies: number[] = [];
  const sockets = await Promise.all(
    tokens.map(
      (token) =>
        new Promise<Socket>((resolve, reject) => {
          const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
          s.on('alert.notify', (e: { data: { alert: { labels: Record<string, string> } } }, ack?: (r: unknown) => void) => {
            ack?.({ received: true });
            latencies.push(Date.now() - Number(e.data.alert.labels.sentAt));
          });
          s.once(readyEvent, () => resolve(s));
          s.once('connect_error', reject);
        }),
    ),
  );
  return { latencies, sockets };
}

interface Command {
  type: 'connect' | 'count' | 'collect';
  url?: string;
  tokens?: string[];
  readyEvent?: 'ready' | 'connect';
}

if (process.send && process.env.PAGING_DESKTOPS === 'child') {
  let state: { latencies: number[]; sockets: Socket[] } | null = null;
  process.on('message', (m: Command) => {
    if (m.type === 'connect') {
      connectDesktops(m.url!, m.tokens!, m.readyEvent!).then(
        (s) => {
          state = s;
          process.send!({ type: 'connected' });
        },
        (err: unknown) => {
          console.error('desktops failed to connect:', err);
          process.exit(1);
        },
      );
    } else if (m.type === 'count') process.send!({ type: 'count', n: state?.latencies.length ?? 0 });
    else {
      for (const s of state?.sockets ?? []) s.close();
      process.send!({ type: 'latencies', latencies: state?.latencies ?? [] }, () => process.exit(0));
    }
  });
  process.send({ type: 'started' });
}
