import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer';

const line = (seq: number, text = `line ${seq}`) => ({ seq, at: 0, stream: 'out' as const, line: text });

describe('LogBuffer', () => {
  it('holds a million lines across chunks and reads any of them back', () => {
    const b = new LogBuffer();
    const batch = [];
    for (let i = 1; i <= 1_000_000; i++) batch.push(line(i));
    b.append(batch);
    expect(b.length).toBe(1_000_000);
    expect(b.at(0)!.seq).toBe(1);
    expect(b.at(999_999)!.seq).toBe(1_000_000);
    expect(b.at(16_384)!.seq).toBe(16_385);
  });

  it('ignores lines replayed after a resubscribe', () => {
    const b = new LogBuffer();
    b.append([line(1), line(2)]);
    b.append([line(2), line(3)]);
    expect(b.length).toBe(3);
  });

  it('search extends its matches as new lines arrive', () => {
    const b = new LogBuffer();
    b.append([line(1, 'ok'), line(2, 'ERROR disk'), line(3, 'ok')]);
    b.setQuery('error');
    b.scan();
    expect(b.visibleCount()).toBe(1);
    b.append([line(4, 'another error')]);
    expect(b.searchComplete).toBe(false);
    b.scan();
    expect(b.visibleCount()).toBe(2);
    expect(b.visibleAt(1)!.seq).toBe(4);
    b.setQuery('');
    expect(b.visibleCount()).toBe(4);
  });
});

describe('LogBuffer search budget', () => {
  it('spreads a search over several calls and treats the query literally', () => {
    const b = new LogBuffer();
    b.append(
      Array.from({ length: 250_000 }, (_, i) => line(i + 1, i % 1000 === 0 ? 'disk (sda) 100%' : 'ok')),
    );
    b.setQuery('(SDA)');
    expect(b.scan(100_000)).toBe(false);
    expect(b.visibleCount()).toBe(100);
    expect(b.scan(100_000)).toBe(false);
    expect(b.scan(100_000)).toBe(true);
    expect(b.visibleCount()).toBe(250);
  });
});
