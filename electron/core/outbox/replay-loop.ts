import type { OutboxRow } from '../cache/outbox-repo';

export interface ReplayDeps {
  /** How many writes may be in flight at once. */
  concurrency(): number;
  /** The oldest open item of each target (the author's), at most `n`. */
  heads(n: number): Pick<OutboxRow, 'id' | 'target_id' | 'state'>[];
  /** Marks an item sending and answers it. */
  claim(id: number): OutboxRow;
  /** Sends one item; false when replay should stop (offline, signed out, server trouble). */
  send(row: OutboxRow): Promise<boolean>;
}

/**
 * Items for different targets go out concurrently (batched by the WriteBatcher, up to its
 * concurrency); items for the same ticket, alert or view keep their order, and anything aimed at a
 * ticket still being created waits for it.
 */
export async function replayInOrder(d: ReplayDeps): Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  let stop = false;
  for (;;) {
    const limit = d.concurrency();
    if (!stop && inFlight.size < limit) {
      const blocked = new Set(inFlight.keys());
      for (const head of d.heads(limit * 2)) {
        if (inFlight.size >= limit) break;
        if (blocked.has(head.target_id) || head.state !== 'pending') {
          blocked.add(head.target_id);
          continue;
        }
        blocked.add(head.target_id);
        const row = d.claim(head.id);
        const task = d.send(row).then((ok) => {
          if (!ok) stop = true;
        });
        inFlight.set(
          row.target_id,
          task.finally(() => inFlight.delete(row.target_id)),
        );
      }
    }
    if (inFlight.size === 0) return;
    await Promise.race(inFlight.values());
    // A batch answers many writes at once: let them all settle before looking for more work.
    await new Promise((r) => setImmediate(r));
  }
}
