// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LogView } from './LogView';
import { appendLines, openDetachedConsole, setFollow, setLogQuery } from './slice';

const lines = (from: number, n: number, text = (i: number) => `step ${i}`) =>
  Array.from({ length: n }, (_, k) => ({
    seq: from + k,
    at: 0,
    stream: 'out' as const,
    line: text(from + k),
  }));
const frame = () => act(() => new Promise((r) => setTimeout(r, 40)));

afterEach(cleanup);

describe('job log view', () => {
  it('renders only a window of a long log, the tail while following', async () => {
    openDetachedConsole('bench-log-1');
    render(<LogView />);
    appendLines('bench-log-1', lines(1, 50_000));
    await frame();
    const log = screen.getByRole('log', { name: 'Job log' });
    const rendered = log.querySelectorAll('.ln');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(200);
    expect(rendered[rendered.length - 1]!.textContent).toBe('50000step 50000');
  });

  it('shows the matching lines of the buffer while a search is applied', async () => {
    openDetachedConsole('bench-log-2');
    render(<LogView />);
    appendLines(
      'bench-log-2',
      lines(1, 3, (i) => (i === 2 ? 'warning: slow disk' : `ok ${i}`)),
    );
    act(() => setLogQuery('slow'));
    await frame();
    const rendered = screen.getByRole('log', { name: 'Job log' }).querySelectorAll('.ln');
    expect([...rendered].map((r) => r.textContent)).toEqual(['2warning: slow disk']);
  });

  it('keeps its row nodes while the tail moves: the same slots show the new lines', async () => {
    openDetachedConsole('bench-log-3');
    render(<LogView />);
    appendLines('bench-log-3', lines(1, 5_000));
    await frame();
    const log = screen.getByRole('log', { name: 'Job log' });
    const before = [...log.querySelectorAll('.ln')];
    appendLines('bench-log-3', lines(5_001, 700));
    await frame();
    const after = [...log.querySelectorAll('.ln')];
    expect(after).toHaveLength(before.length);
    expect(after.every((node, i) => node === before[i])).toBe(true);
    expect(after[after.length - 1]!.textContent).toBe('5700step 5700');
    expect(after[0]!.textContent).toBe(`${5700 - after.length + 1}step ${5700 - after.length + 1}`);
  });

  it('scrolled back, a row node keeps its line (a selection stays on the text it covers)', async () => {
    openDetachedConsole('bench-log-4');
    render(<LogView />);
    appendLines('bench-log-4', lines(1, 5_000));
    act(() => setFollow(false));
    await frame();
    const log = screen.getByRole('log', { name: 'Job log' });
    const scrollTo = async (top: number) => {
      log.scrollTop = top;
      fireEvent.scroll(log);
      await frame();
    };
    await scrollTo(1000 * 18);
    const node = [...log.querySelectorAll('.ln')].find((n) => n.textContent === '1010step 1010')!;
    expect(node).toBeDefined();
    await scrollTo(1005 * 18);
    expect([...log.querySelectorAll('.ln')].find((n) => n.textContent === '1010step 1010')).toBe(node);
  });
});
