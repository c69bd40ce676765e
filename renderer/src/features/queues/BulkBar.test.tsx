// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestBridge } from '../../test-support/fake-bridge';
import { BulkBar } from './BulkBar';
import { useTickets } from './store';

let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'tickets.bulkUpdate': { updated: 2 } as never,
    'tickets.list': { items: [], total: 0 } as never,
  });
  bridge.install();
  useTickets.setState({ ...useTickets.getInitialState(), checked: new Set(['t1', 't2']) });
});
afterEach(cleanup);

describe('bulk bar', () => {
  it('offers "…" then every status and priority; choosing one changes every checked ticket', async () => {
    render(<BulkBar count={2} />);
    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect([...status.options].map((o) => o.textContent)).toEqual([
      '…',
      'New',
      'Open',
      'Pending',
      'Resolved',
      'Closed',
    ]);
    expect(status.value).toBe('');
    await act(async () => fireEvent.change(status, { target: { value: 'resolved' } }));
    // The list is re-read after a bulk change and the selection cleared: select again.
    expect(useTickets.getState().checked.size).toBe(0);
    useTickets.setState({ checked: new Set(['t1', 't2']) });
    await act(async () => fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'high' } }));
    expect(bridge.requests('tickets.bulkUpdate')).toEqual([
      { ticketIds: ['t1', 't2'], changes: { status: 'resolved' } },
      { ticketIds: ['t1', 't2'], changes: { priority: 'high' } },
    ]);
  });

  it('does nothing for the empty choice', async () => {
    render(<BulkBar count={2} />);
    await act(async () => fireEvent.change(screen.getByLabelText('Priority'), { target: { value: '' } }));
    expect(bridge.requests('tickets.bulkUpdate')).toEqual([]);
  });
});
