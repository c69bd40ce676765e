import { useEffect } from 'react';
import { StateView } from '../../ui/feedback';
import { ProbeForm } from './ProbeForm';
import { ProbeList } from './ProbeList';
import { loadProbes, useProbes } from './slice';

function EditProbe({ id }: { id: string }) {
  const probes = useProbes((s) => s.probes);
  useEffect(() => {
    if (!probes.data) void loadProbes();
  }, [probes.data]);
  return (
    <StateView
      res={probes}
      retry={() => void loadProbes()}
      empty="This probe no longer exists."
      isEmpty={(l) => !l.some((p) => p.id === id)}
    >
      {(list) => <ProbeForm key={id} probe={list.find((p) => p.id === id)!} />}
    </StateView>
  );
}

/** #/probes (list), #/probes/new (add), #/probes/edit:<id> (edit). */
export default function Probes({ id }: { id?: string }) {
  if (id === 'new') return <ProbeForm probe={null} />;
  if (id?.startsWith('edit:')) return <EditProbe id={id.slice(5)} />;
  return <ProbeList />;
}
