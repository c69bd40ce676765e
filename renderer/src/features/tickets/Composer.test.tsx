// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketDetail } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import { Composer } from './Composer';
import { useTicket } from './slice';

const detail = {
  ticket: { id: 't-7', number: 7, subject: 'Printer jammed', requester: 'Rita Requester', requesterEmail: 'rita@example.com' },
  comments: [],
  history: [],
  pendingFields: [],
} as unknown as TicketDetail;
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'tickets.comment': null as never,
    'tickets.saveDraft': null as never,
    'tickets.get': detail,
    'outbox.list': [],
    'api.canned.list': [
      { id: 'c1', name: 'Printer reboot', body: 'Hi {{requester.name}}, please restart the printer (#{{ticket.number}}). — {{agent.name}}', shared: true, ownerId: null, updatedAt: 1 },
      { id: 'c2', name: 'Closing', body: 'Closing #{{ticket.number}}.', shared: false, ownerId: 'u1', updatedAt: 1 },
    ] as never,
  });
  bridge.install();
  useTicket.setState({ ...useTicket.getInitialState(), number: 7, detail });
});
afterEach(cleanup);

describe('ticket composer', () => {
  it('cannot send an empty message', () => {
    render(<Composer ref={null} />);
    expect((screen.getByRole('button', { name: 'Send reply' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('switches to an internal note, and Ctrl+Enter sends it as one, then clears the draft', async () => {
    const { container } = render(<Composer ref={null} />);
    fireEvent.click(screen.getByLabelText('Internal note'));
    expect(container.querySelector('form.composer.internal')).not.toBeNull();
    const box = screen.getByPlaceholderText('Internal note — only agents see this');
    fireEvent.change(box, { target: { value: 'Rebooted the printer' } });
    expect(screen.getByRole('button', { name: 'Add note' })).toBeTruthy();
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    });
    await waitFor(() => expect(useTicket.getState().draft).toBe(''));
    expect(bridge.requests('tickets.comment')).toEqual([
      { ticketId: 't-7', body: 'Rebooted the printer', internal: true, attachments: [] },
    ]);
    expect(bridge.requests('tickets.saveDraft').at(-1)).toEqual({
      ticketId: 't-7',
      body: '',
      internal: true,
    });
  });

  it('attaches picked files to the reply (base64), refuses one over the limit, and lets one be removed', async () => {
    render(<Composer ref={null} />);
    const input = document.getElementById('composer-files') as HTMLInputElement;
    const small = new File(['hello printer'], 'log.txt', { type: 'text/plain' });
    const extra = new File(['x'], 'extra.txt', { type: 'text/plain' });
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.iso');
    await act(async () => {
      fireEvent.change(input, { target: { files: [small, extra, big] } });
    });
    await waitFor(() => expect(screen.getAllByTestId('picked-file')).toHaveLength(2));
    expect(screen.getByRole('alert').textContent).toMatch(/huge\.iso: larger than 10/);
    fireEvent.click(screen.getByRole('button', { name: 'Remove extra.txt' }));
    fireEvent.change(screen.getByPlaceholderText('Reply to the requester…'), { target: { value: 'Log attached' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    });
    await waitFor(() => expect(bridge.requests('tickets.comment')).toHaveLength(1));
    expect(bridge.requests('tickets.comment')[0]).toEqual({ ticketId: 't-7', body: 'Log attached', internal: false, attachments: [{ filename: 'log.txt', data: btoa('hello printer') }] });
    expect(useTicket.getState().files).toEqual([]);
  });

  it('inserts a canned reply from the search picker with its placeholders filled (keyboard only)', async () => {
    render(<Composer ref={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Canned reply…' }));
    const search = await screen.findByPlaceholderText('Search canned replies…');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    fireEvent.change(search, { target: { value: 'print' } });
    await waitFor(() => expect(bridge.requests('api.canned.list').at(-1)).toEqual({ query: { q: 'print' } }));
    fireEvent.keyDown(search, { key: 'Enter' });
    await waitFor(() => expect(useTicket.getState().draft).toBe('Hi Rita Requester, please restart the printer (#7). — '));
    expect(screen.queryByPlaceholderText('Search canned replies…')).toBeNull();
  });
});
