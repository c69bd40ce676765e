// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProcedureRun } from '../../../../shared/api/procedures';
import { TestBridge } from '../../test-support/fake-bridge';
import { scheduleText } from './Overview';
import { responseText } from './StartDialog';
import {
  addNote,
  autoTicked,
  escalationOf,
  isOverdue,
  loadHistory,
  openRun,
  progress,
  runStepJob,
  startProcedure,
  useProcedures,
} from './slice';

type Step = ProcedureRun['steps'][number];
const step = (key: string, status: Step['status'], completedBy: string | null = null) =>
  ({ key, status, completedBy, notes: [] }) as unknown as Step;
const run = {
  id: 'r1',
  title: 'Daily tasks',
  status: 'waiting',
  dueAt: 2_000,
  createdAt: 0,
  steps: [step('backup', 'done', 'system (automatic check)'), step('performance', 'waiting')],
} as unknown as ProcedureRun;
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.procedures.runs.create': run,
    'api.procedures.runs.get': run,
    'api.procedures.runs.list': [run],
    'api.procedures.runs.steps.run': { ...run, status: 'running' },
    'api.procedures.runs.steps.notes.add': { ...run, title: 'with note' },
  });
  bridge.install();
  useProcedures.setState(useProcedures.getInitialState());
});

describe('procedures slice', () => {
  it('derives progress, overdue, automatic ticks and the escalation level reached', () => {
    expect(progress(run)).toEqual({ done: 1, total: 2, pct: 50 });
    expect(isOverdue(run, 1_999)).toBe(false);
    expect(isOverdue(run, 2_001)).toBe(true);
    expect(isOverdue({ ...run, status: 'completed' }, 2_001)).toBe(false);
    expect(autoTicked(run.steps[0]!)).toBe(true);
    expect(autoTicked(step('x', 'done', 'otto@example.com'))).toBe(false);
    expect(escalationOf({ createdAt: 0 }, 10 * 60_000)).toMatchObject({ level: 1, who: 'On-call engineer' });
    expect(escalationOf({ createdAt: 0 }, 45 * 60_000)).toMatchObject({ level: 2 });
    expect(escalationOf({ createdAt: 0 }, 5 * 3_600_000)).toMatchObject({ level: 4, who: 'Director' });
  });

  it("says the checklists' schedules as people do", () => {
    expect(scheduleText('0 8 * * *')).toBe('Daily at 08:00 UTC');
    expect(scheduleText('0 8 * * 1')).toBe('Mondays at 08:00 UTC');
    expect(scheduleText('0 8 1 * *')).toBe('1st of each month at 08:00 UTC');
    expect(scheduleText('0 8 1 1,4,7,10 *')).toBe('1st of Jan, Apr, Jul, Oct at 08:00 UTC');
    expect(scheduleText('*/5 * * * *')).toBe('*/5 * * * *');
    expect([15, 60, 240, 1440].map(responseText)).toEqual(['15 minutes', '1 hour', '4 hours', '1 day']);
  });

  it('starts at a level only when one is given, and lists the history of one procedure', async () => {
    await startProcedure('security-incident', '3');
    await startProcedure('daily-checklist', null);
    expect(bridge.requests('api.procedures.runs.create')).toEqual([
      { body: { procedure: 'security-incident', params: {}, level: '3' } },
      { body: { procedure: 'daily-checklist', params: {} } },
    ]);
    await loadHistory('daily-checklist');
    expect(bridge.requests('api.procedures.runs.list')).toEqual([
      { query: { open: 'false', limit: 50, procedure: 'daily-checklist' } },
    ]);
    expect(useProcedures.getState().historyOf).toBe('daily-checklist');
  });

  it('shows the run the server answers after a note or a runbook step, without another read', async () => {
    await openRun('r1');
    await addNote('r1', 'performance', 'p95 420 ms');
    expect(useProcedures.getState().run.data?.title).toBe('with note');
    await runStepJob('r1', 'restore', 'restore-database');
    expect(bridge.requests('api.procedures.runs.steps.run')).toEqual([
      { params: { id: 'r1', key: 'restore' }, body: { confirmation: 'restore-database' } },
    ]);
    expect(useProcedures.getState().run.data?.status).toBe('running');
    expect(bridge.requests('api.procedures.runs.get')).toHaveLength(1);
  });
});
