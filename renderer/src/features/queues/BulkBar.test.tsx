// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestBridge } from '../../test-support/fake-bridge';
import { BulkBar, BulkSummary } from './BulkBar';
import { useTickets } from './store';

let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'tickets.bulkUpdate': { updated: 2 } as never,
    'tickets.bulkApply': ((r: { preview: boolean; target: { ids?: string[] } }) =>
      r.preview
        ? { matched: r.target.ids ? r.target.ids.length : 240, preview: true, results: [] }
        : {
            matched: r.target.ids ? 2 : 240,
            preview: false,
            results: [
              { id: 't1', number: 11, ok: true, status: 200, message: null },
              { id: 't2', number: 12, ok: false, status: 422, message: 'Cannot move a closed ticket to resolved; closed is final' },
            ],
          }) as never,
    'tickets.list': { items: [], total: 0 } as never,
  });
  bridge.install();
  useTickets.setState({ ...useTickets.getInitialState(), checked: new Set(['t1', 't2']) });
});
afterEach(cleanup);

describe('bulk bar', () => {
  it('offers "…" then every status; a choice is confirmed with the server\'s count, then a summary lists the failures', async () => {
    render(<BulkBar count={2} />);
    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect([...status.options].map((o) => o.textContent)).toEqual(['…', 'New', 'Open', 'Pending', 'Resolved', 'Closed']);
    expect(status.value).toBe('');
    await act(async () => fireEvent.change(status, { target: { value: 'resolved' } }));
    expect(screen.getByTestId('bulk-confirm').textContent).toBe('Set status to resolved: 2 tickets.');
    expect(bridge.requests('tickets.bulkApply')).toEqual([{ target: { ids: ['t1', 't2'] }, changes: { status: 'resolved' }, preview: true }]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Apply to 2 ticket(s)' })));
    expect(bridge.requests('tickets.bulkApply')[1]).toEqual({ target: { ids: ['t1', 't2'] }, changes: { status: 'resolved' } });
    const outcome = useTickets.getState().bulkOutcome!;
    render(<BulkSummary outcome={outcome} onClose={() => undefined} />);
    const summary = screen.getByTestId('bulk-summary');
    expect(summary.textContent).toContain('1 of 2 ticket(s) changed; 1 failed:');
    expect(summary.textContent).toContain('#12 — Cannot move a closed ticket to resolved; closed is final');
  });

  it('selects all N matching: the filter goes to the server, not the loaded ids', async () => {
    useTickets.setState({ total: 240, pages: new Map([[0, [{ id: 't1' }, { id: 't2' }] as never]]), activeViewId: null, text: 'printer' });
    render(<BulkBar count={2} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Select all 240 matching' })));
    expect(screen.getByTestId('bulk-count').textContent).toBe('All 240 matching selected');
    await act(async () => fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'high' } }));
    expect(screen.getByTestId('bulk-confirm').textContent).toBe('Set priority to high: 240 tickets matching this view.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Apply to 240 ticket(s)' })));
    expect(bridge.requests('tickets.bulkApply').map((r) => r.target)).toEqual([{ filter: { text: 'printer' } }, { filter: { text: 'printer' } }]);
    expect(useTickets.getState().bulkOutcome?.matched).toBe(240);
  });

  it('does nothing for the empty choice, and cancel sends nothing', async () => {
    render(<BulkBar count={2} />);
    await act(async () => fireEvent.change(screen.getByLabelText('Priority'), { target: { value: '' } }));
    expect(bridge.requests('tickets.bulkApply')).toEqual([]);
    await act(async () => fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'low' } }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(bridge.requests('tickets.bulkApply')).toHaveLength(1);
    expect(bridge.requests('tickets.bulkUpdate')).toEqual([]);
  });
});
