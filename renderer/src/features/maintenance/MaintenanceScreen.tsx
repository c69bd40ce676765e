import { ScheduleForm } from './ScheduleForm';
import { WindowList } from './WindowList';
import { Wizard } from './Wizard';

export default function Maintenance({ id }: { id?: string }) {
  if (id === 'new') return <ScheduleForm />;
  if (id?.startsWith('run:')) return <Wizard runId={id.slice(4)} />;
  return <WindowList />;
}
