// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LogView } from './LogView';
import { appendLines, openDetachedConsole, setLogQuery } from './slice';

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
});
