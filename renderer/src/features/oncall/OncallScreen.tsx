import { useState } from 'react';
import { PoliciesTab } from './PoliciesTab';
import { SchedulesTab } from './SchedulesTab';
import './oncall.css';

const TABS = ['Schedules', 'Escalation policies'] as const;
type Tab = (typeof TABS)[number];

/** On-call: schedules (rotations, overrides, calendar, feeds) and the escalation policies that page them. */
export default function Oncall({ tab: initial }: { tab?: string }) {
  const [tab, setTab] = useState<Tab>(initial === 'policies' ? 'Escalation policies' : 'Schedules');
  return (
    <section aria-labelledby="oncall-title">
      <h1 id="oncall-title">On-call</h1>
      <div className="tabs" role="tablist" aria-label="On-call sections">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab}>
        {tab === 'Schedules' ? <SchedulesTab /> : <PoliciesTab />}
      </div>
    </section>
  );
}
