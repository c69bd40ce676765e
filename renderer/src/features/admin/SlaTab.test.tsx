// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlaPolicy } from '../../../../shared/api/tickets';
import { TestBridge } from '../../test-support/fake-bridge';
import { SlaTab } from './SlaTab';
import { useAdmin } from './slice';

const high: SlaPolicy = {
  priority: 'high',
  firstResponseMinutes: 60,
  resolutionMinutes: 480,
  updatedAt: null,
};
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.sla.policies.list': [high],
    'api.sla.policies.update': (r) => ({ ...high, ...r.body }),
  });
  bridge.install();
  useAdmin.setState(useAdmin.getInitialState());
});
afterEach(cleanup);

describe('SLA policy tab', () => {
  it('loads the policies into a table; Save is enabled by an edit and sends it', async () => {
    render(<SlaTab />);
    const first = (await screen.findByLabelText('First response minutes for high')) as HTMLInputElement;
    expect(first.value).toBe('60');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(first, { target: { value: '30' } });
    expect(save.disabled).toBe(false);
    await act(async () => fireEvent.click(save));
    expect(bridge.requests('api.sla.policies.update')).toEqual([
      { params: { priority: 'high' }, body: { firstResponseMinutes: 30, resolutionMinutes: 480 } },
    ]);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the error with a retry when the policies cannot be read', async () => {
    new TestBridge({}).install();
    render(<SlaTab />);
    expect((await screen.findByRole('alert')).textContent).toContain('no answer for api.sla.policies.list');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
