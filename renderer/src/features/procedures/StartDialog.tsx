import { useState } from 'react';
import type { ProcedureDefinitionInfo } from '../../../../shared/api/procedures';
import { FormDialog } from '../../ui/Dialog';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { startProcedure, roleLabel } from './slice';

/** "15 minutes", "1 hour", "4 hours", "1 day". */
export function responseText(minutes: number): string {
  const [n, unit] =
    minutes % 1440 === 0
      ? [minutes / 1440, 'day']
      : minutes % 60 === 0
        ? [minutes / 60, 'hour']
        : [minutes, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Starts a procedure: emergencies at one of the manual's levels (which sets the due time). */
export function StartDialog({ def, onClose }: { def: ProcedureDefinitionInfo; onClose: () => void }) {
  const [level, setLevel] = useState(def.levels[0]?.id ?? '');
  const a = useAction();
  const chosen = def.levels.find((l) => l.id === level);
  return (
    <FormDialog
      title={`Start “${def.title}”`}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit="Start"
      onSubmit={() =>
        void a.run(async () => {
          const run = await startProcedure(def.id, def.levels.length ? level : null);
          onClose();
          navigate({ screen: 'procedures', id: `run:${run.id}` });
        })
      }
    >
      <p className="muted" style={{ margin: 0 }}>
        {def.description}
      </p>
      <p style={{ margin: 0 }}>
        {def.steps.length} steps · assigned to {roleLabel(def.assignedRole)}
      </p>
      {def.levels.length > 0 && (
        <label>
          Level
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            {def.levels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
          <span className="field-hint">
            {chosen
              ? `Respond within ${responseText(chosen.responseMinutes)}: the run is due then, and its role is reminded when it is not done.`
              : ''}
          </span>
        </label>
      )}
    </FormDialog>
  );
}
