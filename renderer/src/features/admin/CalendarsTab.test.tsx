// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../../shared/api/calendars';
import { TestBridge } from '../../test-support/fake-bridge';
import { useCalendars } from './calendars';
import { CalendarsTab } from './CalendarsTab';

const office: BusinessCalendar = {
  id: 'c1',
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: ['2026-12-25'],
  queueIds: ['q1'],
  updatedAt: 1,
};
const queues = [
  { id: 'q1', name: 'Service Desk', description: null, memberIds: [], slaCalendar: { ...office } },
  { id: 'q2', name: 'Lab', description: null, memberIds: [], slaCalendar: null },
];
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.sla.calendars.list': [office],
    'queues.list': queues as never,
    'api.sla.calendars.create': (r) => ({ ...office, ...r.body, id: 'c2', queueIds: [] }),
    'api.sla.queues.setCalendar': (r) => ({ ...queues[1], slaCalendar: r.body.calendarId ? office : null }) as never,
  });
  bridge.install();
  useCalendars.setState(useCalendars.getInitialState());
});
afterEach(cleanup);

describe('business hours tab', () => {
  it('lists calendars with their hours, holidays and queues; delete is refused while a queue follows one', async () => {
    render(<CalendarsTab />);
    const row = (await screen.findByRole('cell', { name: 'Berlin office' })).closest('tr')!;
    expect(row.textContent).toContain('Mon 09:00–17:00, Tue 09:00–17:00');
    expect(row.textContent).toContain('2026-12-25');
    expect(row.textContent).toContain('Service Desk');
    expect((within(row).getByRole('button', { name: 'Delete' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('SLA calendar of Service Desk') as HTMLSelectElement).value).toBe('c1');
  });

  it('creates a calendar from the weekday rows and attaches one to a queue', async () => {
    render(<CalendarsTab />);
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: '+ New calendar' })));
    const dialog = screen.getByRole('dialog', { name: 'New calendar' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Weekend desk' } });
    fireEvent.change(within(dialog).getByLabelText('Time zone (IANA, e.g. Europe/Berlin)'), { target: { value: 'UTC' } });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) fireEvent.click(within(dialog).getByRole('checkbox', { name: day }));
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Saturday' }));
    fireEvent.change(within(dialog).getByLabelText('Saturday until'), { target: { value: '13:00' } });
    fireEvent.change(within(dialog).getByLabelText('Holidays (one date per line, YYYY-MM-DD)'), { target: { value: '2026-12-26\n2027-01-02' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save calendar' })));
    expect(bridge.requests('api.sla.calendars.create')).toEqual([
      { body: { name: 'Weekend desk', timeZone: 'UTC', hours: [{ day: 6, start: '09:00', end: '13:00' }], holidays: ['2026-12-26', '2027-01-02'] } },
    ]);
    await act(async () => fireEvent.change(screen.getByLabelText('SLA calendar of Lab'), { target: { value: 'c1' } }));
    expect(bridge.requests('api.sla.queues.setCalendar')).toEqual([{ params: { id: 'q2' }, body: { calendarId: 'c1' } }]);
  });
});
