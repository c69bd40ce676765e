// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, ServiceStatus } from '../../../../shared/ipc';
import { fieldsOf, withPickerOptions } from '../../lib/schema-form';
import { TestBridge } from '../../test-support/fake-bridge';
import Services from './ServicesScreen';
import { readyCount, useServices } from './slice';

const now = Date.now();
const celery: ServiceStatus = {
  name: 'celery',
  description: 'Celery workers',
  driver: 'docker',
  desiredReplicas: 2,
  maxReplicas: 5,
  dependsOn: [],
  health: 'unhealthy',
  healthMessage: '1/2 running; shop-celery-2 crashed; shop/celery:2',
  replicas: [
    { index: 1, pid: null, id: 'a1b2c3d4e5f6', image: 'shop/celery:2', health: 'none', state: 'running', startedAt: now - 65_000, restarts: 0, lastExit: null },
    { index: 2, pid: null, id: 'f6e5d4c3b2a1', image: 'shop/celery:2', state: 'crashed', startedAt: null, restarts: 3, lastExit: 'exited with 1 at 2026-12-01T08:00:00Z' },
  ],
  lastRestartAt: now - 65_000,
  lastCrash: { at: now - 3_600_000, message: 'shop-celery-2 exited with 1 after 3 restart(s)' },
};
const job = (runbook: string): Job => ({ id: 'j1', runbook, status: 'queued' }) as unknown as Job;

beforeEach(() => useServices.setState(useServices.getInitialState()));
afterEach(cleanup);

describe('services screen', () => {
  it('shows ready/desired, health, the last restart and crash, and the replicas of the selected service', async () => {
    new TestBridge({
      'api.services.list': [celery],
      'api.services.logs': { name: 'celery', supported: true, lines: [{ replica: 'shop-celery-1', line: '2026-12-01T08:00:01Z ready' }] },
    }).install();
    render(<Services id="celery" />);
    const row = (await screen.findByTestId('replica-count')).closest('tr')!;
    expect(within(row).getByTestId('replica-count').textContent).toBe('1 / 2');
    expect(within(row).getByText('unhealthy').className).toContain('bad');
    expect(within(row).getByText(/1h ago: shop-celery-2 exited with 1 after 3 restart\(s\)/)).toBeTruthy();
    const detail = screen.getByTestId('service-detail');
    expect(within(detail).getAllByTestId('replica-row').map((r) => r.getAttribute('data-state'))).toEqual(['running', 'crashed']);
    expect(within(detail).getByText('1m 05s')).toBeTruthy();
    expect((await screen.findByTestId('service-logs')).textContent).toBe('shop-celery-1  2026-12-01T08:00:01Z ready');
  });

  it('scales within the maximum; 0 asks for the typed runbook id and sends it', async () => {
    const bridge = new TestBridge({ 'api.services.list': [celery], 'api.services.scale': () => job('scale-service') });
    bridge.install();
    render(<Services />);
    fireEvent.click(await screen.findByRole('button', { name: 'Scale…' }));
    const input = screen.getByLabelText(/Replicas/);
    fireEvent.change(input, { target: { value: '6' } });
    expect(screen.getByText('celery can run at most 5 replicas')).toBeTruthy();
    fireEvent.change(input, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue…' }));
    const confirm = screen.getByRole('button', { name: 'Scale to 0' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'scale-service' } });
    fireEvent.click(confirm);
    await screen.findByText(/scale to 0 of celery: job queued/);
    expect(bridge.requests('api.services.scale')).toEqual([{ params: { name: 'celery' }, body: { replicas: 0, confirmation: 'scale-service' } }]);
  });

  it('restarts after one confirmation; an empty list says how to declare services; a failed load offers a retry', async () => {
    const bridge = new TestBridge({ 'api.services.list': [celery], 'api.services.restart': () => job('restart-service') });
    bridge.install();
    render(<Services />);
    fireEvent.click(await screen.findByRole('button', { name: 'Restart…' }));
    expect(screen.getByText(/stopped gracefully and started again as a new container/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }));
    await screen.findByText(/restart of celery: job queued/);
    expect(bridge.requests('api.services.restart')).toEqual([{ params: { name: 'celery' } }]);
    cleanup();
    useServices.setState(useServices.getInitialState());
    new TestBridge({ 'api.services.list': [] }).install();
    render(<Services />);
    await screen.findByText(/No services are declared/);
    cleanup();
    useServices.setState(useServices.getInitialState());
    new TestBridge({}).install();
    render(<Services />);
    expect((await screen.findByRole('alert')).textContent).toContain('no answer for api.services.list');
  });

  it('counts ready replicas and turns service fields of runbook forms into a picker', () => {
    expect(readyCount(celery)).toBe(1);
    const fields = fieldsOf({ type: 'object', properties: { service: { type: 'string', 'x-picker': 'services' }, replicas: { type: 'integer' } }, required: ['service', 'replicas'] });
    expect(withPickerOptions(fields, 'services', undefined).map((f) => f.kind)).toEqual(['text', 'integer']);
    expect(withPickerOptions(fields, 'services', ['celery', 'web']).map((f) => [f.kind, f.options])).toEqual([
      ['select', ['celery', 'web']],
      ['integer', []],
    ]);
  });
});
