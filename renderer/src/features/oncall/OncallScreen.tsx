import { Tabs } from '../../ui/Tabs';
import { PoliciesTab } from './PoliciesTab';
import { SchedulesTab } from './SchedulesTab';
import './oncall.css';

const TABS = ['Schedules', 'Escalation policies'] as const;

/** On-call: schedules (rotations, overrides, calendar, feeds) and the escalation policies that page them. */
export default function Oncall({ tab }: { tab?: string }) {
  return (
    <section aria-labelledby="oncall-title">
      <h1 id="oncall-title">On-call</h1>
      <Tabs
        label="On-call sections"
        tabs={TABS}
        initial={tab === 'policies' ? 'Escalation policies' : 'Schedules'}
        panel={(t) => (t === 'Schedules' ? <SchedulesTab /> : <PoliciesTab />)}
      />
    </section>
  );
}
