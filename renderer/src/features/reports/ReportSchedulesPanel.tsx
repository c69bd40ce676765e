import { useEffect, useState } from 'react';
import type { ReportSchedule } from '../../../../shared/api/reports';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ConfirmDestructive, FormDialog } from '../../ui/Dialog';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { formatTime } from '../../lib/format';
import { browserZone, createSchedule, deleteSchedule, loadSchedules, setScheduleEnabled, useReports } from './slice';

function NewScheduleDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('Daily operations report');
  const [period, setPeriod] = useState<'daily' | 'weekly'>('daily');
  const [recipients, setRecipients] = useState('');
  const [timeZone, setTimeZone] = useState(browserZone);
  const [hour, setHour] = useState(7);
  const action = useAction();
  const submit = () =>
    void action.run(async () => {
      const list = recipients.split(/[\s,;]+/).filter(Boolean);
      if (!list.length) throw new Error('Add at least one recipient email address.');
      await createSchedule({ name, period, recipients: list, timeZone, hour, enabled: true });
      onClose();
    });
  return (
    <FormDialog title="New scheduled report" onClose={onClose} onSubmit={submit} error={action.error} busy={action.busy} submit="Create schedule">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      </label>
      <label>
        Period
        <select value={period} onChange={(e) => setPeriod(e.target.value as 'daily' | 'weekly')}>
          <option value="daily">Daily (yesterday's report)</option>
          <option value="weekly">Weekly (last week's report, sent on Monday)</option>
        </select>
      </label>
      <label>
        Recipients
        <textarea value={recipients} onChange={(e) => setRecipients(e.target.value)} rows={2} placeholder="lead@example.com, ops@example.com" aria-describedby="rcpt-hint" />
        <span id="rcpt-hint" className="field-hint">Email addresses, separated by commas or spaces.</span>
      </label>
      <div className="row">
        <label>
          Time zone
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
        <label>
          Send at (hour)
          <input type="number" min={0} max={23} value={hour} onChange={(e) => setHour(Number(e.target.value))} />
        </label>
      </div>
    </FormDialog>
  );
}

/** Admins: the report emails sent after each day or week, with each one's last send. */
export function ReportSchedulesPanel() {
  const res = useReports((s) => s.schedules);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ReportSchedule | null>(null);
  const toggle = useAction();
  useEffect(() => void loadSchedules({ fresh: true }), []);
  const columns: Column<ReportSchedule>[] = [
    { id: 'name', header: 'Name', cell: (s) => s.name },
    { id: 'period', header: 'Period', cell: (s) => `${s.period === 'daily' ? 'Daily' : 'Weekly'} at ${String(s.hour).padStart(2, '0')}:00 ${s.timeZone}` },
    { id: 'to', header: 'Recipients', cell: (s) => s.recipients.join(', ') },
    {
      id: 'last',
      header: 'Last sent',
      cell: (s) =>
        s.last ? (
          <span className={s.last.status === 'failed' ? 'bad' : ''} title={s.last.error ?? undefined} data-testid="schedule-last">
            {s.last.label}: {s.last.status} {formatTime(s.last.at)}
            {s.last.error && ` (${s.last.error})`}
          </span>
        ) : (
          <span className="muted">Not yet</span>
        ),
    },
    {
      id: 'on',
      header: 'Enabled',
      cell: (s) => <input type="checkbox" aria-label={`Send ${s.name}`} checked={s.enabled} disabled={toggle.busy} onChange={(e) => void toggle.run(() => setScheduleEnabled(s.id, e.target.checked))} />,
    },
    { id: 'del', header: hiddenHeader('Actions'), cell: (s) => <button onClick={() => setDeleting(s)}>Delete…</button> },
  ];
  return (
    <section className="report-section" aria-labelledby="rep-schedules">
      <div className="row">
        <h2 id="rep-schedules" style={{ margin: 0 }}>Scheduled report emails</h2>
        <span className="spacer" />
        <button onClick={() => void loadSchedules()} disabled={res.loading}>Refresh</button>
        <button className="primary" onClick={() => setCreating(true)}>New schedule…</button>
      </div>
      <p className="muted">Each day or week's report is emailed once to its recipients, from the chosen hour on the day after it ends.</p>
      <ErrorBox error={toggle.error} />
      <StateView res={res} retry={() => void loadSchedules()} empty="No scheduled reports yet.">
        {(rows) => <DataTable columns={columns} rows={rows} rowKey={(s) => s.id} aria-labelledby="rep-schedules" />}
      </StateView>
      {creating && <NewScheduleDialog onClose={() => setCreating(false)} />}
      {deleting && (
        <ConfirmDestructive
          title="Delete scheduled report"
          target={deleting.name}
          description={`${deleting.recipients.join(', ')} will no longer receive this report.`}
          action="Delete schedule"
          onConfirm={() => deleteSchedule(deleting.id)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
