import { useState } from 'react';
import type { MaintenanceWindow } from '../../../../shared/ipc';
import { FormDialog } from '../../ui/Dialog';
import { CheckboxGroup } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { startWizard } from './slice';

const TASK_RUNBOOKS = ['run-health-checks', 'vacuum-analyze', 'cleanup-logs'];

/** The wizard's parameters: the tasks phase and how long to watch afterwards. */
export function StartWizardDialog({
  window: w,
  onClose,
}: {
  window: MaintenanceWindow;
  onClose: () => void;
}) {
  const [tasks, setTasks] = useState<string[]>([]);
  const [watch, setWatch] = useState('15');
  const a = useAction();
  const watchError = !/^\d+$/.test(watch) || Number(watch) > 1440 ? 'Whole minutes, 0 to 1440.' : null;
  return (
    <FormDialog
      title={`Start the wizard for “${w.title}”`}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit="Start"
      onSubmit={() => {
        if (watchError) return;
        void a.run(async () => {
          const run = await startWizard(w.id, { watchMinutes: Number(watch), tasks });
          onClose();
          navigate({ screen: 'maintenance', id: `run:${run.id}` });
        });
      }}
    >
      <p className="muted" style={{ margin: 0 }}>
        Pre-maintenance checklist (notify, verified backup, silence, record version), the tasks you choose,
        then the post-maintenance checklist and a watch period.
      </p>
      <fieldset style={{ border: '1px solid var(--border)', borderRadius: 6 }}>
        <legend>Tasks</legend>
        <CheckboxGroup
          values={TASK_RUNBOOKS}
          checked={tasks}
          onChange={setTasks}
          label={(r) => <span className="mono">{r}</span>}
          spaced
        />
      </fieldset>
      <label>
        Watch after maintenance (minutes)
        <input
          value={watch}
          onChange={(e) => setWatch(e.target.value)}
          inputMode="numeric"
          aria-invalid={!!watchError}
        />
        <span className={watchError ? 'field-error' : 'field-hint'}>
          {watchError ?? 'Error rate and latency are compared with the baseline; 0 skips the wait.'}
        </span>
      </label>
    </FormDialog>
  );
}
