import { IncidentDetailView } from './IncidentDetail';
import { IncidentList } from './IncidentList';
import { NewIncident } from './NewIncident';

export default function Incidents({ id }: { id?: string }) {
  if (id === 'new') return <NewIncident />;
  if (id) return <IncidentDetailView id={id} />;
  return <IncidentList />;
}
