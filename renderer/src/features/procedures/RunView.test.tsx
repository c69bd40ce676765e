// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcedureDefinitionInfo, ProcedureRun } from '../../../../shared/api/procedures';
import { TestBridge } from '../../test-support/fake-bridge';
import { useSession } from '../auth/session';
import { RunView } from './RunView';
import { useProcedures } from './slice';

type Step = ProcedureRun['steps'][number];
const step = (key: string, title: string, over: Partial<Step>): Step => ({
  index: 0,
  key,
  phase: 'immediate',
  title,
  kind: 'manual',
  instructions: '',
  status: 'pending',
  result: null,
  jobId: null,
  completedBy: null,
  startedAt: null,
  completedAt: null,
  note: null,
  auto: false,
  runbook: null,
  confirmation: null,
  notes: [],
  ...over,
});
const now = Date.now();
const run: ProcedureRun = {
  id: 'r1',
  procedure: 'data-loss',
  title: 'Emergency: data loss',
  status: 'waiting',
  assignedRole: 'admin',
  params: {},
  state: {},
  maintenanceId: null,
  occurrence: null,
  startedBy: 'a',
  createdAt: now - 40 * 60_000,
  updatedAt: now,
  finishedAt: null,
  level: 'high',
  dueAt: now + 20 * 60_000,
  remindedAt: null,
  rollbackBackupId: null,
  steps: [
    step('stop-operations', 'Stop all operations', {
      kind: 'action',
      auto: true,
      status: 'done',
      completedBy: 'system (automatic check)',
      completedAt: now,
    }),
    step('assess', 'Assess damage', {
      status: 'waiting',
      notes: [{ id: 'n1', author: 'bob@example.com', body: 'orders table', createdAt: now }],
    }),
    step('restore', 'Restore database', {
      kind: 'runbook',
      auto: true,
      runbook: 'restore-database',
      confirmation: 'restore-database',
    }),
  ],
};
const def = {
  id: 'data-loss',
  title: run.title,
  description: '',
  category: 'emergency',
  assignedRole: 'admin',
  schedule: null,
  levels: [{ id: 'high', label: 'High: partial outage', responseMinutes: 60 }],
  steps: [],
} as ProcedureDefinitionInfo;

function signIn(role: 'oncall' | 'admin') {
  useSession.setState({
    session: {
      status: 'signed_in',
      profileId: 'p',
      user: { id: 'a', name: 'Ada', email: 'ada@example.com', role, disabled: false, mfaEnabled: false },
    },
  });
}
let bridge: TestBridge;
beforeEach(() => {
  bridge = new TestBridge({
    'api.procedures.runs.get': run,
    'api.procedures.list': [def],
    'api.procedures.runs.steps.complete': {
      ...run,
      steps: run.steps.map((s) =>
        s.key === 'assess' ? { ...s, status: 'done', completedBy: 'ada@example.com' } : s,
      ),
    },
  });
  bridge.install();
  useProcedures.setState(useProcedures.getInitialState());
});
afterEach(cleanup);

describe('procedure run view', () => {
  it('shows the level, due time, escalation and auto-ticks; only the current step of an ordered run can be ticked', async () => {
    signIn('admin');
    render(<RunView runId="r1" />);
    await screen.findByRole('heading', { name: 'Emergency: data loss' });
    await screen.findByText('High: partial outage');
    expect(screen.getByTestId('due').textContent).toMatch(/^Due in (19|20)m/);
    expect(screen.getByTestId('escalation').textContent).toBe('Escalation level 2: Team lead');
    const items = screen.getAllByTestId('procedure-step');
    expect(items.map((i) => i.getAttribute('data-auto'))).toEqual(['true', 'false', 'false']);
    expect(within(items[0]!).getByText('Auto-ticked')).toBeTruthy();
    expect(within(items[1]!).getByText(/bob@example.com/).textContent).toContain('bob@example.com');
    expect(within(items[2]!).queryByRole('button', { name: /Run restore-database/ })).toBeNull();
    await act(async () => fireEvent.click(within(items[1]!).getByRole('button', { name: 'Tick' })));
    expect(bridge.requests('api.procedures.runs.steps.complete')).toEqual([
      { params: { id: 'r1', key: 'assess' }, body: { outcome: 'done' } },
    ]);
    expect(screen.getAllByTestId('procedure-step')[1]!.getAttribute('data-status')).toBe('done');
  });

  it('lets an on-call user read an admin run and add notes, without acting on it', async () => {
    signIn('oncall');
    render(<RunView runId="r1" />);
    await screen.findByText(/assigned to admins: you can read it and add notes/);
    expect(screen.queryByRole('button', { name: 'Tick' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Abort…' })).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Add note' })).toHaveLength(3);
  });
});
