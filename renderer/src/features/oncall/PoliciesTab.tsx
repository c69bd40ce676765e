import { useEffect, useState } from 'react';
import type { EscalationLevel } from '../../../../shared/api/alerts';
import type { Policy } from '../../../../shared/api/escalation';
import { ROLES } from '../../../../shared/domain/roles';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox, StateView } from '../../ui/feedback';
import { CheckboxGroup, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { currentUser, useSession } from '../auth/session';
import {
  deletePolicy,
  loadPeople,
  loadPolicies,
  loadPreview,
  loadSchedules,
  savePolicy,
  useOncall,
  type PolicyBody,
} from './slice';

type Form = Omit<PolicyBody, 'levels'> & { levels: EscalationLevel[] };
const NEW_POLICY: Form = {
  name: '',
  match: { service: '' },
  repeat: 0,
  ackTimeoutMinutes: null,
  levels: [{ name: 'On-call engineer', afterMinutes: 0, roles: [], userIds: [], scheduleIds: [] }],
};

/** `service=db, team=payments` ↔ a label map. */
const matchText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
function parseMatch(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [k, ...v] = part.split('=');
    if (!k?.trim() || v.length === 0) throw new Error(`"${part}" is not label=value`);
    out[k.trim()] = v.join('=').trim();
  }
  return out;
}

function LevelEditor({
  level,
  index,
  onChange,
  onRemove,
}: {
  level: EscalationLevel;
  index: number;
  onChange: (l: EscalationLevel) => void;
  onRemove?: () => void;
}) {
  const schedules = useOncall((s) => s.schedules.data) ?? [];
  const people = useOncall((s) => s.people.data) ?? [];
  const set = (p: Partial<EscalationLevel>) => onChange({ ...level, ...p });
  return (
    <fieldset className="level-card" aria-label={`Level ${index + 1}`}>
      <legend>Level {index + 1}</legend>
      <div className="row">
        <TextField label="Name" value={level.name} onChange={(name) => set({ name })} required />
        <TextField
          label="After (minutes)"
          type="number"
          min={0}
          value={String(level.afterMinutes)}
          onChange={(m) => set({ afterMinutes: Number(m) })}
        />
        {onRemove && (
          <button type="button" className="small danger" onClick={onRemove}>
            Remove level
          </button>
        )}
      </div>
      <div className="pill-list" role="group" aria-label="Schedules">
        <strong>Schedules:</strong>
        <CheckboxGroup
          spaced
          values={schedules.map((s) => s.id)}
          checked={level.scheduleIds}
          onChange={(scheduleIds) => set({ scheduleIds })}
          label={(id) => schedules.find((s) => s.id === id)?.name ?? id}
        />
      </div>
      <div className="pill-list" role="group" aria-label="Users">
        <strong>Users:</strong>
        <CheckboxGroup
          spaced
          values={people.map((p) => p.id)}
          checked={level.userIds}
          onChange={(userIds) => set({ userIds })}
          label={(id) => people.find((p) => p.id === id)?.name ?? id}
        />
      </div>
      <div className="pill-list" role="group" aria-label="Roles">
        <strong>Roles:</strong>
        <CheckboxGroup spaced values={ROLES} checked={level.roles} onChange={(roles) => set({ roles })} />
      </div>
    </fieldset>
  );
}

function Preview({ policyId }: { policyId: string }) {
  const preview = useOncall((s) => s.preview);
  return (
    <section aria-label="Who would be paged now" className="level-card">
      <h3>Who would be paged now</h3>
      <StateView res={preview} retry={() => void loadPreview(policyId)} empty="No levels.">
        {(p) => (
          <ol data-testid="policy-preview">
            {p.levels.map((l) => (
              <li key={l.index}>
                <strong>{l.name}</strong> <span className="muted">after {l.afterMinutes} min</span>:{' '}
                {l.users.length === 0 ? (
                  <span className="sev-high">nobody</span>
                ) : (
                  l.users.map((u) => `${u.name} (${u.via.join(', ')})`).join('; ')
                )}
              </li>
            ))}
          </ol>
        )}
      </StateView>
    </section>
  );
}

function PolicyEditor({
  policy,
  isAdmin,
  onSaved,
}: {
  policy: Policy | null;
  isAdmin: boolean;
  onSaved: (p: Policy) => void;
}) {
  const [form, setForm] = useState<Form>(
    policy
      ? {
          name: policy.name,
          match: policy.match,
          repeat: policy.repeat,
          ackTimeoutMinutes: policy.ackTimeoutMinutes,
          levels: policy.levels,
        }
      : NEW_POLICY,
  );
  const [match, setMatch] = useState(matchText(form.match ?? {}));
  const [confirming, setConfirming] = useState(false);
  const a = useAction();
  const levels = form.levels;
  const setLevel = (i: number, l: EscalationLevel) =>
    setForm({ ...form, levels: levels.map((x, j) => (j === i ? l : x)) });
  const submit = () =>
    void a.run(async () => {
      const saved = await savePolicy(policy?.id ?? null, {
        ...form,
        match: policy?.isDefault ? {} : parseMatch(match),
      });
      toast(`Saved ${saved.name}`);
      onSaved(saved);
    });
  return (
    <form onSubmit={(e) => (e.preventDefault(), submit())} aria-label="Policy editor">
      <fieldset disabled={!isAdmin} style={{ border: 'none', padding: 0 }}>
        <div className="row">
          <TextField
            label="Name"
            value={form.name}
            onChange={(name) => setForm({ ...form, name })}
            required
          />
          {!policy?.isDefault && (
            <TextField
              label="Alerts with labels"
              value={match}
              onChange={setMatch}
              hint="label=value, comma-separated (e.g. service=db)"
            />
          )}
          <TextField
            label="Repeat (times)"
            type="number"
            min={0}
            max={9}
            value={String(form.repeat ?? 0)}
            onChange={(r) => setForm({ ...form, repeat: Number(r) })}
          />
          <TextField
            label="Ack timeout (minutes, empty: none)"
            type="number"
            min={1}
            value={form.ackTimeoutMinutes ? String(form.ackTimeoutMinutes) : ''}
            onChange={(t) => setForm({ ...form, ackTimeoutMinutes: t ? Number(t) : null })}
          />
        </div>
        {levels.map((l, i) => (
          <LevelEditor
            key={i}
            index={i}
            level={l}
            onChange={(x) => setLevel(i, x)}
            onRemove={
              levels.length > 1
                ? () => setForm({ ...form, levels: levels.filter((_, j) => j !== i) })
                : undefined
            }
          />
        ))}
        <ErrorBox error={a.error} />
        {isAdmin && (
          <div className="row">
            <button
              type="button"
              disabled={levels.length >= 10}
              onClick={() =>
                setForm({
                  ...form,
                  levels: [
                    ...levels,
                    {
                      name: `Level ${levels.length + 1}`,
                      afterMinutes: (levels[levels.length - 1]?.afterMinutes ?? 0) + 30,
                      roles: [],
                      userIds: [],
                      scheduleIds: [],
                    },
                  ],
                })
              }
            >
              Add level
            </button>
            <span className="spacer" />
            {policy && !policy.isDefault && (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                Delete policy
              </button>
            )}
            <button className="primary" disabled={a.busy}>
              Save policy
            </button>
          </div>
        )}
      </fieldset>
      {confirming && policy && (
        <ConfirmDestructive
          title="Delete policy"
          target={policy.name}
          description="Its alerts follow the default policy from their next step."
          action="Delete policy"
          onConfirm={() => deletePolicy(policy.id)}
          onClose={() => setConfirming(false)}
        />
      )}
    </form>
  );
}

export function PoliciesTab() {
  const policies = useOncall((s) => s.policies);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  useEffect(() => {
    void loadPolicies({ fresh: true });
    void loadSchedules();
    void loadPeople(isAdmin);
  }, [isAdmin]);
  const list = policies.data ?? [];
  const current = selected === 'new' ? null : (list.find((p) => p.id === selected) ?? list[0] ?? null);
  const currentId = current?.id;
  const currentVersion = current?.updatedAt;
  useEffect(() => {
    if (currentId) void loadPreview(currentId);
  }, [currentId, currentVersion]);
  return (
    <div className="oncall-layout">
      <nav className="oncall-list" aria-label="Escalation policies">
        {isAdmin && (
          <button className="primary" onClick={() => setSelected('new')}>
            New policy
          </button>
        )}
        <StateView res={policies} retry={() => void loadPolicies()} empty="No policies.">
          {(ps) =>
            ps.map((p) => (
              <button
                key={p.id}
                aria-current={p.id === current?.id && selected !== 'new'}
                onClick={() => setSelected(p.id)}
              >
                {p.name}
                <div className="muted">{p.isDefault ? 'every other alert' : matchText(p.match)}</div>
              </button>
            ))
          }
        </StateView>
      </nav>
      <div>
        {current && selected !== 'new' && <Preview policyId={current.id} />}
        {(current || selected === 'new') && (
          <PolicyEditor
            key={selected === 'new' ? 'new' : `${current!.id}-${current!.updatedAt}`}
            policy={current}
            isAdmin={isAdmin}
            onSaved={(p) => setSelected(p.id)}
          />
        )}
      </div>
    </div>
  );
}
