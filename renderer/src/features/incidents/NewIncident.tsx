import { useState } from 'react';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import { titleCase } from '../../lib/format';
import { EnumSelect } from '../../ui/EnumSelect';
import { ErrorBox } from '../../ui/feedback';
import { FormActions, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { createIncident } from './slice';

const RESPONSE = { critical: '15 min', high: '1 h', medium: '4 h', low: '1 day' } as const;

export function NewIncident() {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('medium');
  const a = useAction();
  return (
    <section aria-labelledby="new-inc">
      <h1 id="new-inc">New incident</h1>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () => {
            const inc = await createIncident({
              title,
              description: description || undefined,
              severity,
            });
            navigate({ screen: 'incidents', id: inc.id });
          });
        }}
      >
        <TextField label="Title" required value={title} onChange={setTitle} maxLength={300} />
        <label>
          Severity
          <EnumSelect
            values={[...SEVERITIES].reverse()}
            value={severity}
            onChange={setSeverity}
            label={(s) => `${titleCase(s)} — respond within ${RESPONSE[s]}`}
          />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorBox error={a.error} />
        <FormActions onCancel={() => navigate({ screen: 'incidents' })} busy={a.busy} submit="Create" />
      </form>
    </section>
  );
}
