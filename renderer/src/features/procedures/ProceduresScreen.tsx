import { Overview } from './Overview';
import { RunView } from './RunView';

/** #/procedures, #/procedures/run:<id>, #/procedures/start:<procedure> (the palette opens the start dialog). */
export default function Procedures({ id }: { id?: string }) {
  if (id?.startsWith('run:')) return <RunView runId={id.slice(4)} />;
  return <Overview starting={id?.startsWith('start:') ? id.slice(6) : null} />;
}
