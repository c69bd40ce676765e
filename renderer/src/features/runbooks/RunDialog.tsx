import { useEffect, useMemo, useState } from 'react';
import type { Runbook } from '../../../../shared/ipc';
import { fieldsOf, initialValues, toParams, validate, withPickerOptions, type Field } from '../../lib/schema-form';
import { serviceNames } from '../services/slice';
import { ConfirmDestructive, Dialog } from '../../ui/Dialog';
import { EnumSelect } from '../../ui/EnumSelect';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { requestJob } from './slice';

export function SchemaFields({
  fields,
  values,
  errors,
  touched,
  onChange,
}: {
  fields: Field[];
  values: Record<string, string | boolean>;
  errors: Record<string, string>;
  touched: boolean;
  onChange: (v: Record<string, string | boolean>) => void;
}) {
  return (
    <>
      {fields.length === 0 && <p className="muted">This runbook takes no parameters.</p>}
      {fields.map((f) => {
        const id = `p-${f.name}`;
        const err = touched || values[f.name] !== '' ? errors[f.name] : undefined;
        if (f.kind === 'boolean')
          return (
            <label key={f.name} className="inline">
              <input
                type="checkbox"
                checked={Boolean(values[f.name])}
                onChange={(e) => onChange({ ...values, [f.name]: e.target.checked })}
              />{' '}
              {f.label}
            </label>
          );
        return (
          <label key={f.name} htmlFor={id}>
            {f.label}
            {f.required && <span aria-hidden> *</span>}
            {f.kind === 'select' ? (
              <EnumSelect
                id={id}
                values={f.options}
                value={String(values[f.name] ?? '')}
                label={(o) => o}
                empty={f.required ? undefined : '(default)'}
                onChange={(v) => onChange({ ...values, [f.name]: v })}
                onEmpty={() => onChange({ ...values, [f.name]: '' })}
                aria-invalid={!!err}
                aria-describedby={`${id}-msg`}
              />
            ) : (
              <input
                id={id}
                type={f.kind === 'text' ? 'text' : 'number'}
                value={String(values[f.name] ?? '')}
                min={f.schema.minimum}
                max={f.schema.maximum}
                onChange={(e) => onChange({ ...values, [f.name]: e.target.value })}
                aria-invalid={!!err}
                aria-required={f.required}
                aria-describedby={`${id}-msg`}
              />
            )}
            <span id={`${id}-msg`} className={err ? 'field-error' : 'field-hint'}>
              {err ?? f.schema.description ?? ''}
            </span>
          </label>
        );
      })}
    </>
  );
}

/** The declared services when a field picks from them; a failed load leaves the field as free text and says why. */
function useServicePicker(wanted: boolean): { names: string[] | undefined; error: string | null } {
  const [state, setState] = useState<{ names: string[] | undefined; error: string | null }>({ names: undefined, error: null });
  useEffect(() => {
    if (!wanted) return;
    serviceNames().then(
      (names) => setState({ names, error: null }),
      (e: unknown) => setState({ names: undefined, error: `Could not list the services (${(e as Error).message}); type the name.` }),
    );
  }, [wanted]);
  return state;
}

export function RunDialog({ runbook, onClose }: { runbook: Runbook; onClose: () => void }) {
  const declared = useMemo(() => fieldsOf(runbook.parameters), [runbook]);
  const picker = useServicePicker(declared.some((f) => f.picker === 'services'));
  const fields = useMemo(() => withPickerOptions(declared, 'services', picker.names), [declared, picker.names]);
  const [typed, setValues] = useState(() => initialValues(fields));
  // Once the services are known, an untouched picker shows (and sends) the first one.
  const first = picker.names?.[0];
  const values = first ? { ...typed, ...Object.fromEntries(declared.filter((f) => f.picker === 'services' && typed[f.name] === '').map((f) => [f.name, first])) } : typed;
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const a = useAction();
  const errors = validate(fields, values);
  const valid = Object.keys(errors).length === 0;
  const submit = async (confirmation?: string) => {
    const job = await requestJob({
      runbook: runbook.id,
      params: toParams(fields, values),
      confirmation,
    });
    toast(
      job.status === 'awaiting_approval' ? 'Requested: waiting for an admin to approve' : 'Job started',
      'ok',
    );
    onClose();
    navigate({ screen: 'job', id: job.id });
  };
  if (confirming)
    return (
      <ConfirmDestructive
        title={`Run ${runbook.title}?`}
        target={runbook.id}
        description={
          <>
            <strong>{runbook.title}</strong> is destructive. {runbook.description}
            {runbook.requiresApproval && ' An admin must approve it before it runs.'}
          </>
        }
        action="Run destructive runbook"
        onConfirm={(typed) => submit(typed)}
        onClose={() => setConfirming(false)}
      />
    );
  return (
    <Dialog title={runbook.title} onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!valid) return;
          if (runbook.destructive) setConfirming(true);
          else void a.run(() => submit());
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          {runbook.description}
        </p>
        {picker.error && <p className="field-error">{picker.error}</p>}
        {picker.names?.length === 0 && <p className="field-error">No services are declared (SERVICES_FILE).</p>}
        <SchemaFields
          fields={fields}
          values={values}
          errors={errors}
          touched={touched}
          onChange={setValues}
        />
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className={runbook.destructive ? 'danger' : 'primary'} type="submit" disabled={a.busy}>
            {runbook.destructive ? 'Continue…' : 'Run'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
