import { useState } from 'react';
import { DateTime } from 'luxon';
import { ROTATION_KINDS, type Override, type Rotation, type Schedule } from '../../../../shared/api/oncall';
import type { UserRef } from '../../../../shared/ipc';
import { FormDialog } from '../../ui/Dialog';
import { EnumSelect } from '../../ui/EnumSelect';
import { Checkbox, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { saveOverride, createSchedule, saveRotation, updateSchedule, type RotationBody } from './slice';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Creates a schedule, or edits one's name, time zone and description. */
export function ScheduleDialog({ schedule, onClose }: { schedule?: Schedule; onClose: () => void }) {
  const [name, setName] = useState(schedule?.name ?? '');
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? browserZone);
  const [description, setDescription] = useState(schedule?.description ?? '');
  const a = useAction();
  const body = { name, timeZone, description };
  return (
    <FormDialog
      title={schedule ? `Edit schedule ${schedule.name}` : 'New schedule'}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit={schedule ? 'Save schedule' : 'Create schedule'}
      onSubmit={() =>
        void a.run(
          async () => (
            await (schedule ? updateSchedule(schedule.id, body) : createSchedule(body)),
            onClose()
          ),
        )
      }
    >
      <TextField label="Name" value={name} onChange={setName} required maxLength={100} />
      <TextField
        label="Time zone"
        value={timeZone}
        onChange={setTimeZone}
        required
        hint="An IANA name, e.g. Europe/Berlin: hand-offs follow its wall clock, DST included"
      />
      <TextField label="Description" value={description} onChange={setDescription} maxLength={2000} />
    </FormDialog>
  );
}

/** The participants in rotation order: pick people, move them up or down. */
function ParticipantPicker({
  people,
  value,
  onChange,
}: {
  people: UserRef[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? id;
  const move = (i: number, d: number) => {
    const next = [...value];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    onChange(next);
  };
  return (
    <fieldset>
      <legend>Participants, in order</legend>
      <ol>
        {value.map((id, i) => (
          <li key={id} className="row">
            <span style={{ flex: 1 }}>{name(id)}</span>
            <button
              type="button"
              className="small"
              disabled={i === 0}
              onClick={() => move(i, -1)}
              aria-label={`Move ${name(id)} up`}
            >
              ↑
            </button>
            <button
              type="button"
              className="small"
              disabled={i === value.length - 1}
              onClick={() => move(i, 1)}
              aria-label={`Move ${name(id)} down`}
            >
              ↓
            </button>
            <button
              type="button"
              className="small"
              onClick={() => onChange(value.filter((x) => x !== id))}
              aria-label={`Remove ${name(id)}`}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <label>
        Add a participant
        <select
          value=""
          onChange={(e) => e.target.value && onChange([...value, e.target.value])}
          aria-label="Add a participant"
        >
          <option value="">Choose…</option>
          {people
            .filter((p) => !value.includes(p.id))
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email})
              </option>
            ))}
        </select>
      </label>
    </fieldset>
  );
}

export function RotationDialog({
  schedule,
  rotation,
  people,
  onClose,
}: {
  schedule: Schedule;
  rotation: Rotation | null;
  people: UserRef[];
  onClose: () => void;
}) {
  const [form, setForm] = useState<RotationBody>(
    rotation ?? {
      name: 'Primary',
      layer: 1,
      kind: 'weekly',
      shiftMinutes: null,
      handoffTime: '09:00',
      startDate: DateTime.now().setZone(schedule.timeZone).startOf('week').toISODate()!,
      participants: [],
      endsAt: null,
      activeHours: null,
    },
  );
  const set = (patch: Partial<RotationBody>) => setForm((f) => ({ ...f, ...patch }));
  const a = useAction();
  const submit = () =>
    void a.run(async () => (await saveRotation(schedule.id, rotation?.id ?? null, form), onClose()));
  return (
    <FormDialog
      title={rotation ? `Edit rotation ${rotation.name}` : 'Add rotation'}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit={rotation ? 'Save rotation' : 'Add rotation'}
      onSubmit={submit}
    >
      <TextField label="Name" value={form.name} onChange={(name) => set({ name })} required />
      <div className="row">
        <label>
          Shift length
          <EnumSelect
            values={ROTATION_KINDS}
            value={form.kind}
            onChange={(kind) =>
              set({ kind, shiftMinutes: kind === 'custom' ? (form.shiftMinutes ?? 720) : null })
            }
          />
        </label>
        {form.kind === 'custom' && (
          <TextField
            label="Hours per shift"
            type="number"
            min={1}
            value={String((form.shiftMinutes ?? 720) / 60)}
            onChange={(h) => set({ shiftMinutes: Math.round(Number(h) * 60) })}
          />
        )}
        <TextField
          label="Layer"
          type="number"
          min={1}
          max={20}
          value={String(form.layer ?? 1)}
          onChange={(l) => set({ layer: Number(l) })}
          hint="Higher layers cover lower ones"
        />
      </div>
      <div className="row">
        <TextField
          label="First hand-off (date)"
          type="date"
          value={form.startDate}
          onChange={(startDate) => set({ startDate })}
          required
        />
        <TextField
          label={`Hand-off time (${schedule.timeZone})`}
          type="time"
          value={form.handoffTime}
          onChange={(handoffTime) => set({ handoffTime })}
          required
        />
      </div>
      <Checkbox
        checked={!!form.activeHours}
        onChange={(on) => set({ activeHours: on ? { from: '09:00', to: '17:00' } : null })}
      >
        Only some hours each day (a layer that covers, say, business hours)
      </Checkbox>
      {form.activeHours && (
        <div className="row">
          <TextField
            label="Daily from"
            type="time"
            value={form.activeHours.from}
            onChange={(from) => set({ activeHours: { ...form.activeHours!, from } })}
            required
          />
          <TextField
            label="Daily until"
            type="time"
            value={form.activeHours.to}
            onChange={(to) => set({ activeHours: { ...form.activeHours!, to } })}
            hint="Before 'from': through midnight"
            required
          />
        </div>
      )}
      <ParticipantPicker
        people={people}
        value={form.participants}
        onChange={(participants) => set({ participants })}
      />
    </FormDialog>
  );
}

/** Local datetime-input text in the schedule's zone ↔ epoch ms. */
const toInput = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
const fromInput = (text: string, zone: string) => DateTime.fromISO(text, { zone }).toMillis();

export function OverrideDialog({
  schedule,
  people,
  override = null,
  onClose,
}: {
  schedule: Schedule;
  people: UserRef[];
  /** An override to change; none: a new one. */
  override?: Override | null;
  onClose: () => void;
}) {
  const zone = schedule.timeZone;
  const start = DateTime.now().setZone(zone).startOf('hour').plus({ hours: 1 }).toMillis();
  const [userId, setUserId] = useState(override?.userId ?? '');
  const [coversUserId, setCovers] = useState(override?.coversUserId ?? '');
  const [from, setFrom] = useState(toInput(override?.startsAt ?? start, zone));
  const [to, setTo] = useState(toInput(override?.endsAt ?? start + 4 * 3_600_000, zone));
  const [note, setNote] = useState(override?.note ?? '');
  const a = useAction();
  const submit = () =>
    void a.run(async () => {
      if (!userId) throw new Error('Choose who covers');
      await saveOverride(schedule.id, override?.id ?? null, {
        userId,
        coversUserId: coversUserId || null,
        startsAt: fromInput(from, zone),
        endsAt: fromInput(to, zone),
        note,
      });
      onClose();
    });
  const options = people.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name}
    </option>
  ));
  return (
    <FormDialog
      title={override ? 'Edit override' : 'Add override'}
      onClose={onClose}
      error={a.error}
      busy={a.busy}
      submit={override ? 'Save override' : 'Add override'}
      onSubmit={submit}
    >
      <label>
        Who covers
        <select value={userId} onChange={(e) => setUserId(e.target.value)} required>
          <option value="">Choose…</option>
          {options}
        </select>
      </label>
      <label>
        For whom (optional)
        <select value={coversUserId} onChange={(e) => setCovers(e.target.value)}>
          <option value="">Whoever is on call</option>
          {options}
        </select>
      </label>
      <div className="row">
        <TextField label={`From (${zone})`} type="datetime-local" value={from} onChange={setFrom} required />
        <TextField label={`Until (${zone})`} type="datetime-local" value={to} onChange={setTo} required />
      </div>
      <TextField label="Note" value={note} onChange={setNote} maxLength={500} />
    </FormDialog>
  );
}
