/**
 * A small read-through cache for values that are cheap to hold and costly to read per request (the
 * channel table, everyone's preferences, who is on call). It keeps the load's promise, so callers
 * arriving together (an alert storm's pages) share one read instead of each missing the cache; a
 * load that fails is dropped at once, so the next caller reads again.
 */
export class PromiseCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value: Promise<V> = load().catch((err: unknown) => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw err;
    });
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { at: Date.now(), value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
