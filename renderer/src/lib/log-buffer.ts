import type { JobLogLine } from '../../../shared/ipc';

const CHUNK = 16_384;

/**
 * Append-only storage for a job log that may reach millions of lines. Lines are kept in fixed
 * chunks (no array copies on append), and a search keeps its own index of matching line numbers
 * that is extended incrementally as lines arrive, so neither appending nor filtering is O(total).
 */
export class LogBuffer {
  private chunks: JobLogLine[][] = [[]];
  private count = 0;
  private query = '';
  private matches: number[] = [];
  private scanned = 0;
  private pattern: RegExp | null = null;
  lastSeq = 0;

  get length(): number {
    return this.count;
  }

  append(lines: readonly JobLogLine[]): void {
    for (const l of lines) {
      if (l.seq <= this.lastSeq && this.count > 0) continue; // replays after a resubscribe
      let last = this.chunks[this.chunks.length - 1]!;
      if (last.length === CHUNK) {
        last = [];
        this.chunks.push(last);
      }
      last.push(l);
      this.count++;
      this.lastSeq = Math.max(this.lastSeq, l.seq);
    }
  }

  at(i: number): JobLogLine | undefined {
    return this.chunks[Math.floor(i / CHUNK)]?.[i % CHUNK];
  }

  /** Empties the buffer and drops the search (a new console starts unfiltered, as its slice does). */
  clear(): void {
    this.chunks = [[]];
    this.count = 0;
    this.lastSeq = 0;
    this.setQuery('');
  }

  /** Sets the search (case-insensitive); an empty query shows every line. */
  setQuery(q: string): void {
    if (q === this.query) return;
    this.query = q;
    this.pattern = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null;
    this.matches = [];
    this.scanned = 0;
  }

  /** Number of visible lines: all, or the matches found so far by the current search. */
  visibleCount(): number {
    return this.query ? this.matches.length : this.count;
  }

  /** Whether the current search has looked at every line. */
  get searchComplete(): boolean {
    return !this.query || this.scanned >= this.count;
  }

  /** Line at the i-th visible position. */
  visibleAt(i: number): JobLogLine | undefined {
    if (!this.query) return this.at(i);
    const idx = this.matches[i];
    return idx == null ? undefined : this.at(idx);
  }

  /**
   * Extends the search over lines not yet looked at, at most `budget` of them, so a search over a
   * million lines is spread across frames instead of blocking the main thread.
   */
  scan(budget = 100_000): boolean {
    if (!this.pattern) return true;
    const end = Math.min(this.count, this.scanned + budget);
    for (let i = this.scanned; i < end; i++) {
      if (this.pattern.test(this.at(i)!.line)) this.matches.push(i);
    }
    this.scanned = end;
    return this.scanned >= this.count;
  }

  toText(): string {
    const parts: string[] = [];
    for (const c of this.chunks)
      for (const l of c) parts.push(`${new Date(l.at).toISOString()} [${l.stream}] ${l.line}`);
    return parts.join('\n') + '\n';
  }
}
