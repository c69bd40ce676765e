// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Probe } from '../../../../shared/api/probes';
import { ApiError } from '../../api';
import { TestBridge } from '../../test-support/fake-bridge';
import { ProbeForm } from './ProbeForm';
import { ProbeList } from './ProbeList';
import { fieldErrors, parseHeaders, tlsDaysLeft, useProbes } from './slice';

const DAY = 86_400_000;
const probe: Probe = {
  id: 'p1',
  name: 'shop',
  kind: 'http',
  target: 'https://shop.example.test/',
  intervalSeconds: 60,
  timeoutSeconds: 10,
  retries: 0,
  forSeconds: 0,
  severity: 'high',
  method: 'GET',
  expectedStatus: '200-299',
  keyword: 'Welcome',
  keywordMode: 'present',
  followRedirects: true,
  headers: {},
  authType: 'none',
  authUsername: null,
  secretSet: false,
  serverName: null,
  caPem: null,
  warningDays: 30,
  criticalDays: 7,
  recordType: 'A',
  expectedAnswer: null,
  dnsServer: null,
  paused: false,
  state: 'down',
  lastCheckedAt: Date.now(),
  lastLatencyMs: 42.4,
  lastError: 'keyword "Welcome" not found',
  tlsExpiresAt: Date.now() + 5 * DAY + 3600_000,
  createdAt: 1,
  updatedAt: 1,
};

beforeEach(() => useProbes.setState(useProbes.getInitialState()));
afterEach(cleanup);

describe('probes list', () => {
  it('shows state, latency, TLS days left and the last error; delete asks for confirmation', async () => {
    const bridge = new TestBridge({ 'api.probes.list': [probe], 'api.probes.delete': undefined });
    bridge.install();
    render(<ProbeList />);
    const row = (await screen.findByText('shop')).closest('tr')!;
    expect(within(row).getByText('down').className).toContain('bad');
    expect(within(row).getByText('42 ms')).toBeTruthy();
    expect(within(row).getByText('5 days').className).toContain('bad');
    expect(within(row).getByText('keyword "Welcome" not found')).toBeTruthy();
    expect(screen.getByText(/1 down · 1 probes/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete shop' }));
    expect(bridge.requests('api.probes.delete')).toEqual([]);
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/Deletes “shop”/)).toBeTruthy();
  });

  it('has an empty state and an error state with a retry', async () => {
    new TestBridge({ 'api.probes.list': [] }).install();
    render(<ProbeList />);
    expect(await screen.findByText(/No probes yet/)).toBeTruthy();
    cleanup();
    useProbes.setState(useProbes.getInitialState());
    new TestBridge({}).install();
    render(<ProbeList />);
    expect((await screen.findByRole('alert')).textContent).toContain('no answer for api.probes.list');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('probe form', () => {
  it('shows validation errors inline before sending, then sends the probe', async () => {
    const bridge = new TestBridge({
      'api.probes.create': (r) => ({ ...probe, ...r.body, id: 'new' }) as Probe,
      'api.probes.list': [],
    });
    bridge.install();
    render(<ProbeForm probe={null} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'db port' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'tcp' } });
    fireEvent.change(screen.getByLabelText(/^Host and port/), { target: { value: 'db.internal' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add probe' })));
    expect(screen.getByText('must be host:port')).toBeTruthy();
    expect(screen.getByLabelText(/^Host and port/).getAttribute('aria-invalid')).toBe('true');
    expect(bridge.requests('api.probes.create')).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^Host and port/), { target: { value: 'db.internal:5432' } });
    expect(screen.queryByText('must be host:port')).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add probe' })));
    expect(bridge.requests('api.probes.create')).toEqual([
      {
        body: expect.objectContaining({
          name: 'db port',
          kind: 'tcp',
          target: 'db.internal:5432',
          intervalSeconds: 60,
          timeoutSeconds: 10,
        }),
      },
    ]);
  });

  it('asks for the token of bearer auth; an edit keeps a stored secret without showing it', async () => {
    const bridge = new TestBridge({
      'api.probes.update': (r) => ({ ...probe, ...r.body }) as Probe,
      'api.probes.list': [],
    });
    bridge.install();
    render(<ProbeForm probe={{ ...probe, authType: 'bearer', secretSet: true }} />);
    const token = screen.getByLabelText(/^Token/) as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('stored; leave empty to keep');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save probe' })));
    expect(bridge.requests('api.probes.update')).toHaveLength(1);
    expect(bridge.requests('api.probes.update')[0]!.body).not.toHaveProperty('secret');
  });
});

describe('probe helpers', () => {
  it('maps server validation details to fields, parses headers, counts TLS days', () => {
    const e = new ApiError('validation_failed', 'body.target: must be host:port', [
      { field: 'body.target', message: 'must be host:port' },
    ]);
    expect(fieldErrors(e)).toEqual({ target: 'must be host:port' });
    expect(parseHeaders('X-Team: platform\n\nAccept: text/html')).toEqual({
      headers: { 'X-Team': 'platform', Accept: 'text/html' },
      error: null,
    });
    expect(parseHeaders('nonsense').error).toBe('Line 1: write headers as Name: value');
    expect(tlsDaysLeft({ tlsExpiresAt: 10 * DAY + 5 }, 0)).toBe(10);
    expect(tlsDaysLeft({ tlsExpiresAt: null })).toBeNull();
  });
});
