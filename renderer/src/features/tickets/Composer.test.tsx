// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketDetail } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import { Composer } from './Composer';
import { useTicket } from './slice';

const detail = {
  ticket: { id: 't-7', number: 7 },
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
      { ticketId: 't-7', body: 'Rebooted the printer', internal: true },
    ]);
    expect(bridge.requests('tickets.saveDraft').at(-1)).toEqual({
      ticketId: 't-7',
      body: '',
      internal: true,
    });
  });
});
