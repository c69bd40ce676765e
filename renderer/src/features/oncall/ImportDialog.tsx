import { useState } from 'react';
import type { ImportResult, Schedule } from '../../../../shared/api/oncall';
import { FormDialog } from '../../ui/Dialog';
import { TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { importCalendar } from './slice';

/** Imports an .ics export (Grafana OnCall, PagerDuty) as overrides or as fixed shifts of a layer, then says what it skipped. */
export function ImportDialog({ schedule, onClose }: { schedule: Schedule; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [as, setAs] = useState<'overrides' | 'layer'>('overrides');
  const [layer, setLayer] = useState('1');
  const [result, setResult] = useState<ImportResult | null>(null);
  const a = useAction();
  const submit = () =>
    void a.run(async () => {
      if (!file) throw new Error('Choose an .ics file');
      setResult(await importCalendar(schedule.id, { ics: await file.text(), as, layer: Number(layer) }));
    });
  return (
    <FormDialog
      title={`Import shifts into ${schedule.name}`}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit="Import"
      onSubmit={submit}
    >
      <label>
        Calendar file (.ics)
        <input
          type="file"
          accept=".ics,text/calendar"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <span className="field-hint">
          Each event whose attendee or summary names an OpsDesk user (by e-mail or name) becomes a shift.
        </span>
      </label>
      <fieldset>
        <legend>Import as</legend>
        <label className="inline">
          <input type="radio" name="as" checked={as === 'overrides'} onChange={() => setAs('overrides')} />{' '}
          overrides (cover every layer)
        </label>
        <label className="inline">
          <input type="radio" name="as" checked={as === 'layer'} onChange={() => setAs('layer')} /> fixed
          shifts of a layer
        </label>
        {as === 'layer' && (
          <TextField label="Layer" type="number" min={1} max={20} value={layer} onChange={setLayer} />
        )}
      </fieldset>
      {result && (
        <div className="alert-box info" role="status">
          Imported {result.created} shift{result.created === 1 ? '' : 's'} as{' '}
          {result.as === 'layer' ? `layer ${layer}` : 'overrides'}.
          {result.skipped.length > 0 && (
            <ul>
              {result.skipped.map((s) => (
                <li key={s.uid}>
                  Skipped {s.uid}: {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </FormDialog>
  );
}
