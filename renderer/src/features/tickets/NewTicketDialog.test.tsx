// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem, TicketSummary } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import { useTickets } from '../queues/store';
import { useOutbox } from '../shell/outbox';
import { PendingMark } from '../shell/PendingMark';
import { useUi } from '../shell/ui';
import { NewTicketDialog } from './NewTicketDialog';

const queues = [
  { id: 'q1', name: 'Service Desk', description: null, memberIds: [], slaCalendar: null },
  { id: 'q2', name: 'Database', description: null, memberIds: [], slaCalendar: null },
];
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.requesters.list': [{ name: 'Rita Requester', email: 'rita@example.com', tickets: 3 }],
    'tickets.create': { id: 'local-1', number: -1, pending: true } as unknown as TicketSummary,
    'outbox.list': [{ id: 4, kind: 'ticket.create', targetId: 'local-1', summary: 'New ticket', state: 'failed', attempts: 1, createdAt: 1, error: 'Unknown queue q2', conflicts: [] } as OutboxItem],
  });
  bridge.install();
  useTickets.setState({ ...useTickets.getInitialState(), queues });
  useOutbox.setState({ items: { data: null, error: null, loading: false } } as never);
  useUi.setState({ newTicketOpen: true });
});
afterEach(cleanup);

describe('the new-ticket form', () => {
  it('suggests known requesters, fills the name from the one picked, and writes the ticket to the outbox', async () => {
    const { container } = render(<NewTicketDialog />);
    await waitFor(() => expect(container.querySelectorAll('datalist option')).toHaveLength(1));
    fireEvent.change(screen.getByRole('combobox', { name: 'Queue' }), { target: { value: 'q2' } });
    fireEvent.change(screen.getByLabelText('Requester email'), { target: { value: 'rita@example.com' } });
    expect((screen.getByLabelText('Requester name') as HTMLInputElement).value).toBe('Rita Requester');
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Backup failed' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Nightly job' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Priority' }), { target: { value: 'high' } });
    fireEvent.change(screen.getByLabelText(/^Tags/), { target: { value: 'Backup, db, backup' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create ticket' }));
    });
    expect(bridge.requests('tickets.create')).toEqual([
      { queueId: 'q2', subject: 'Backup failed', description: 'Nightly job', priority: 'high', requester: { name: 'Rita Requester', email: 'rita@example.com' }, tags: ['backup', 'db'], attachments: [] },
    ]);
    expect(useUi.getState().newTicketOpen).toBe(false);
  });

  it("a pending ticket the server refused shows the server's answer", async () => {
    render(<PendingMark ticketId="local-1" pending />);
    await waitFor(() => expect(screen.getByTestId('sync-error').textContent).toContain('Unknown queue q2'));
  });
});
