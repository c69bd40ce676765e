import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/ipc';
import { silentLogger } from '../ports';
import { JobLogTails } from './job-log-tails';

function setup() {
  const sent: { event: string; payload: unknown }[] = [];
  const batches: EventPayload<'jobs.log'>[] = [];
  const tails = new JobLogTails(() => ({ send: (event, payload) => sent.push({ event, payload }) }), (b) => batches.push(b), silentLogger);
  return { tails, sent, batches };
}

const line = (seq: number) => ({ seq, at: 1_700_000_000_000 + seq, stream: 'out' as const, line: `line ${seq}` });

describe('JobLogTails', () => {
  it('asks the server for one tail per job, from the earliest line a subscription still needs', () => {
    const { tails, sent } = setup();
    tails.subscribe('j1', 5, false);
    tails.subscribe('j1', 2, false);
    tails.subscribe('j2', 0, false);
    expect(sent).toEqual([
      { event: 'job.subscribe', payload: { jobId: 'j1', fromSeq: 5 } },
      { event: 'job.subscribe', payload: { jobId: 'j1', fromSeq: 2 } },
      { event: 'job.subscribe', payload: { jobId: 'j2', fromSeq: 0 } },
    ]);
  });

  it('sends each subscription only the lines after its own last one, and ends them with the log', () => {
    const { tails, batches } = setup();
    const a = tails.subscribe('j1', 2, false);
    const b = tails.subscribe('j1', 0, false);
    tails.received('job.log', { jobId: 'j1', lines: [line(1), line(2), line(3)] });
    expect(batches).toEqual([
      { subscriptionId: a, jobId: 'j1', lines: [line(3)], done: false },
      { subscriptionId: b, jobId: 'j1', lines: [line(1), line(2), line(3)], done: false },
    ]);
    // The tail restarted from an earlier line (a reconnect): nothing is repeated.
    tails.received('job.log', { jobId: 'j1', lines: [line(2), line(3), line(4)] });
    expect(batches.slice(2).map((x) => x.lines.map((l) => l.seq))).toEqual([[4], [4]]);
    tails.received('job.log.end', { jobId: 'j1', status: 'succeeded', lastSeq: 4 });
    expect(batches.slice(4)).toEqual([
      { subscriptionId: a, jobId: 'j1', lines: [], done: true },
      { subscriptionId: b, jobId: 'j1', lines: [], done: true },
    ]);
    tails.received('job.log', { jobId: 'j1', lines: [line(5)] });
    expect(batches).toHaveLength(6);
  });

  it('follows every tail again after a reconnect, and stops the server tail with the last subscription', () => {
    const { tails, sent } = setup();
    const a = tails.subscribe('j1', 3, false);
    const b = tails.subscribe('j1', 7, false);
    sent.length = 0;
    tails.reconnected();
    expect(sent).toEqual([{ event: 'job.subscribe', payload: { jobId: 'j1', fromSeq: 3 } }]);
    tails.unsubscribe(a);
    expect(sent).toHaveLength(1);
    tails.unsubscribe(b);
    expect(sent.at(-1)).toEqual({ event: 'job.unsubscribe', payload: { jobId: 'j1' } });
  });

  it('does not follow a log that has already ended, and drops a batch outside the contract', () => {
    const { tails, sent, batches } = setup();
    expect(tails.subscribe('j1', 9, true)).toMatch(/^log-/);
    expect(sent).toEqual([]);
    tails.subscribe('j2', 0, false);
    tails.received('job.log', { jobId: 'j2', lines: [{ seq: 'x' }] });
    expect(batches).toEqual([]);
  });
});
