// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpsReport, ReportSchedule } from '../../../../shared/api/reports';
import { TestBridge } from '../../test-support/fake-bridge';
import ReportsScreen from './ReportsScreen';
import { ReportSchedulesPanel } from './ReportSchedulesPanel';
import { useReports } from './slice';

const row = { key: 'critical', label: 'critical', alerts: 2, acknowledged: 2, resolved: 1, mttaSeconds: 90, mttrSeconds: 600 };
const report = (patch: Partial<OpsReport> = {}): OpsReport => ({
  period: 'daily', timeZone: 'UTC', from: 0, to: 86_400_000, label: '2026-01-05', generatedAt: 1,
  summary: { ...row, key: 'all', label: 'All alerts' }, bySeverity: [row], byPolicy: [], bySchedule: [], topAlerts: [{ ...row, key: '<b>x</b>', label: '<b>x</b>' }],
  bySource: [{ source: 'alertmanager', alerts: 2 }], perDay: [{ day: '2026-01-05', from: 0, alerts: 2, pages: 3 }],
  pagesPerPerson: [{ userId: 'u1', name: 'Omar', email: 'o@example.com', pages: 3, alerts: 2, notifications: 3, acknowledged: 2 }],
  slaByQueue: [], ...patch,
});
const schedule: ReportSchedule = { id: 's1', name: 'Morning', period: 'daily', recipients: ['lead@example.com'], timeZone: 'UTC', hour: 7, enabled: true, createdBy: null, createdAt: 1, updatedAt: 1, last: { label: '2026-01-04', status: 'failed', at: 2, error: 'connection refused' } };

beforeEach(() => useReports.setState(useReports.getInitialState()));
afterEach(cleanup);

describe('reports screen', () => {
  it('shows the figures and tables, empty sections, and asks for the chosen period', async () => {
    const bridge = new TestBridge({ 'api.reports.range': (req) => report({ period: req?.query?.period ?? 'daily' }) });
    bridge.install();
    render(<ReportsScreen />);
    expect((await screen.findByTestId('report-summary')).textContent).toMatch(/Alerts2.*MTTA1m 30s.*MTTR10m 00s/);
    expect(within(screen.getByRole('table', { name: 'On-call load (pages per person)' })).getByText('Omar')).toBeTruthy();
    // A hostile name is text, never markup.
    expect(within(screen.getByRole('table', { name: 'Most frequent alerts' })).getByText('<b>x</b>')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'SLA compliance per queue' })).getByText(/No tickets/)).toBeTruthy();
    expect(bridge.requests('api.reports.range')[0]!.query).toMatchObject({ period: 'daily', tz: expect.any(String), date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    fireEvent.click(screen.getByRole('radio', { name: 'Weekly' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Previous week' }));
    const [, weekly, previous] = bridge.requests('api.reports.range');
    expect(weekly!.query!.period).toBe('weekly');
    expect(Date.parse(previous!.query!.date!) - Date.parse(weekly!.query!.date!)).toBe(-7 * 86_400_000);
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    expect(await screen.findByLabelText('From')).toBeTruthy();
    expect(bridge.requests('api.reports.range').at(-1)!.query).toMatchObject({ period: 'custom', from: expect.any(String), to: expect.any(String) });
  });

  it('shows the error with a retry', async () => {
    new TestBridge({}).install();
    render(<ReportsScreen />);
    expect((await screen.findByRole('alert')).textContent).toContain('no answer for api.reports.range');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('scheduled report emails', () => {
  it('lists schedules with their last send, and deletes only after the name is typed', async () => {
    const bridge = new TestBridge({ 'api.reports.schedules.list': [schedule], 'api.reports.schedules.delete': { deleted: true } });
    bridge.install();
    render(<ReportSchedulesPanel />);
    expect((await screen.findByTestId('schedule-last')).textContent).toContain('2026-01-04: failed');
    expect(screen.getByText(/connection refused/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete schedule' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'Morning' } });
    fireEvent.click(confirm);
    await screen.findByText('Morning');
    expect(bridge.requests('api.reports.schedules.delete')).toEqual([{ params: { id: 's1' } }]);
  });

  it('checks the recipients before sending', async () => {
    const bridge = new TestBridge({ 'api.reports.schedules.list': [] });
    bridge.install();
    render(<ReportSchedulesPanel />);
    expect(await screen.findByText('No scheduled reports yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New schedule…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Create schedule' }));
    expect((await screen.findByRole('alert')).textContent).toContain('at least one recipient');
    expect(bridge.requests('api.reports.schedules.create')).toEqual([]);
  });
});
