// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProcedureRun } from '../../../../shared/api/procedures';
import { TestBridge } from '../../test-support/fake-bridge';
import {
  abortRun,
  completeStep,
  isLive,
  openRun,
  startWizard,
  useMaintenance,
  wizardProgress,
} from './slice';

const step = (key: string, status: ProcedureRun['steps'][number]['status']) =>
  ({ key, status }) as ProcedureRun['steps'][number];
const run = {
  id: 'r1',
  title: 'Sunday',
  status: 'waiting',
  steps: [step('notify', 'done'), step('backup', 'waiting')],
} as ProcedureRun;
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.maintenance.wizard.start': run,
    'api.procedures.runs.get': run,
    'api.procedures.runs.steps.complete': run,
    'api.procedures.runs.abort': { run: { ...run, status: 'aborted' }, rollbackJobId: 'job-9' },
  });
  bridge.install();
  useMaintenance.setState(useMaintenance.getInitialState());
});

describe('maintenance slice', () => {
  it('counts done and skipped steps as progress; a running or waiting run is live', () => {
    expect(wizardProgress({ steps: [] })).toBe(0);
    expect(wizardProgress({ steps: [step('a', 'done'), step('b', 'skipped'), step('c', 'pending')] })).toBe(
      67,
    );
    expect(isLive(run)).toBe(true);
    expect(isLive({ status: 'completed' })).toBe(false);
    expect(isLive(undefined)).toBe(false);
  });

  it('starts the wizard for a window with its tasks as runbooks without parameters', async () => {
    expect(await startWizard('w1', { watchMinutes: 15, tasks: ['vacuum-analyze'] })).toEqual(run);
    expect(bridge.requests('api.maintenance.wizard.start')).toEqual([
      {
        params: { id: 'w1' },
        body: { params: { watchMinutes: 15, tasks: [{ runbook: 'vacuum-analyze', params: {} }] } },
      },
    ]);
  });

  it('completes a step of the open run and re-reads the run', async () => {
    await openRun('r1');
    await completeStep('r1', 'backup', 'skipped');
    expect(bridge.requests('api.procedures.runs.steps.complete')).toEqual([
      { params: { id: 'r1', key: 'backup' }, body: { outcome: 'skipped' } },
    ]);
    expect(bridge.requests('api.procedures.runs.get')).toHaveLength(2);
    expect(useMaintenance.getState().run.data).toEqual(run);
  });

  it('aborts with or without rollback and answers the rollback job', async () => {
    expect(await abortRun('r1', true)).toBe('job-9');
    expect(bridge.requests('api.procedures.runs.abort')[0]).toEqual({
      params: { id: 'r1' },
      body: { rollback: true, reason: 'aborted from the wizard' },
    });
  });
});
