import { describe, expect, it } from 'vitest';
import { appendLines, log, openDetachedConsole, setLogQuery, useJobConsole } from './slice';

describe('job console slice', () => {
  it('appends many batches and renders at most once per frame', async () => {
    openDetachedConsole('job-1');
    for (let b = 0; b < 100; b++) {
      appendLines(
        'job-1',
        Array.from({ length: 1000 }, (_, i) => ({
          seq: b * 1000 + i + 1,
          at: 0,
          stream: 'out' as const,
          line: `line ${b * 1000 + i + 1}`,
        })),
      );
    }
    expect(log.length).toBe(100_000);
    await new Promise((r) => setTimeout(r, 40));
    const s = useJobConsole.getState();
    expect(s.visibleCount).toBe(100_000);
    expect(s.version).toBeLessThanOrEqual(2);
  });

  it('ignores lines for another job and filters by search', async () => {
    openDetachedConsole('job-2');
    appendLines('job-x', [{ seq: 1, at: 0, stream: 'out', line: 'nope' }]);
    appendLines('job-2', [
      { seq: 1, at: 0, stream: 'out', line: 'starting backup' },
      { seq: 2, at: 0, stream: 'err', line: 'warning: slow disk' },
    ]);
    setLogQuery('slow');
    await new Promise((r) => setTimeout(r, 40));
    expect(useJobConsole.getState().visibleCount).toBe(1);
    expect(log.visibleAt(0)!.line).toContain('slow');
  });
});
