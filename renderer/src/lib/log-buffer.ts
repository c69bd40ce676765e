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

  clear(): void {
    this.chunks = [[]];
    this.count = 0;
    this.lastSeq = 0;
    this.matches = [];
    this.scanned = 0;
  }

  /** Sets the search; an empty query shows every line. */
  setQuery(q: string): void {
    if (q === this.query) return;
    this.query = q;
    this.matches = [];
    this.scanned = 0;
  }

  /** Number of visible lines (all, or the matches of the current search, scanning new lines). */
  visibleCount(): number {
    if (!this.query) return this.count;
    this.scan();
    return this.matches.length;
  }

  /** Line at the i-th visible position. */
  visibleAt(i: number): JobLogLine | undefined {
    if (!this.query) return this.at(i);
    const idx = this.matches[i];
    return idx == null ? undefined : this.at(idx);
  }

  private scan(): void {
    const q = this.query.toLowerCase();
    for (let i = this.scanned; i < this.count; i++) {
      if (this.at(i)!.line.toLowerCase().includes(q)) this.matches.push(i);
    }
    this.scanned = this.count;
  }

  toText(): string {
    const parts: string[] = [];
    for (const c of this.chunks) for (const l of c) parts.push(`${new Date(l.at).toISOString()} [${l.stream}] ${l.line}`);
    return parts.join('\n') + '\n';
  }
}
