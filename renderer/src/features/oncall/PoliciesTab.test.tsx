// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy, PolicyPreview } from '../../../../shared/api/escalation';
import { TestBridge } from '../../test-support/fake-bridge';
import { useSession } from '../auth/session';
import { PoliciesTab } from './PoliciesTab';
import { useOncall } from './slice';

const level = {
  name: 'On-call engineer',
  afterMinutes: 0,
  roles: ['oncall' as const],
  userIds: [],
  scheduleIds: [],
};
const defaultPolicy: Policy = {
  id: 'default',
  name: 'Default',
  match: {},
  repeat: 0,
  ackTimeoutMinutes: null,
  levels: [level],
  position: 1e9,
  isDefault: true,
  updatedAt: null,
};
const preview: PolicyPreview = {
  policyId: 'default',
  at: 0,
  levels: [
    {
      index: 0,
      name: 'On-call engineer',
      afterMinutes: 0,
      users: [{ id: 'u1', name: 'Ana', email: 'ana@example.com', via: ['role:oncall', 'schedule:Ops'] }],
    },
  ],
};
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.escalation.policies.list': [defaultPolicy],
    'api.escalation.policies.preview': preview,
    'api.escalation.policies.create': (r) => ({
      ...defaultPolicy,
      name: r.body.name,
      match: r.body.match ?? {},
      id: 'p2',
      isDefault: false,
      position: 1,
      updatedAt: 5,
    }),
    'api.oncall.schedules.list': [],
    'api.users.list': [],
  });
  bridge.install();
  useOncall.setState(useOncall.getInitialState());
  useSession.setState({
    session: {
      status: 'signed_in',
      profileId: 'p',
      user: {
        id: 'a',
        name: 'Ada',
        email: 'ada@example.com',
        role: 'admin',
        disabled: false,
        mfaEnabled: false,
      },
    },
  });
});
afterEach(cleanup);

describe('escalation policy editor', () => {
  it('shows who the selected policy would page now, with why', async () => {
    render(<PoliciesTab />);
    const box = await screen.findByTestId('policy-preview');
    expect(box.textContent).toContain('Ana (role:oncall, schedule:Ops)');
  });

  it('a new policy sends its label match parsed from "label=value", and a malformed match is refused before sending', async () => {
    render(<PoliciesTab />);
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'New policy' })));
    const form = screen.getByRole('form', { name: 'Policy editor' });
    fireEvent.change(within(form).getAllByLabelText('Name')[0]!, { target: { value: 'Database' } });
    const match = within(form).getByLabelText(/Alerts with labels/);
    fireEvent.change(match, { target: { value: 'service' } });
    fireEvent.click(within(form).getByLabelText('oncall'));
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save policy' })));
    expect(await within(form).findByText('"service" is not label=value')).toBeTruthy();
    expect(bridge.requests('api.escalation.policies.create')).toEqual([]);
    fireEvent.change(match, { target: { value: 'service=db, team = payments' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save policy' })));
    expect(bridge.requests('api.escalation.policies.create')).toEqual([
      {
        body: {
          name: 'Database',
          match: { service: 'db', team: 'payments' },
          repeat: 0,
          ackTimeoutMinutes: null,
          levels: [{ ...level, roles: ['oncall'] }],
        },
      },
    ]);
  });
});
