import { useState } from 'react';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { saveCurrentAsView } from './actions';

export function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Save view" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await saveCurrentAsView(name, shared);
            onClose();
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        <label>
          Name
          <input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Share with the team
        </label>
        <p className="muted" style={{ margin: 0 }}>
          Saves the current view&apos;s filter with your search, status and priority refinements and the sort
          order on the server: it follows you to every machine (saved offline, it is sent when you are back online). A
          shared view shows for every agent; only you can change it.
        </p>
        {error && <div className="alert-box error">{error}</div>}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
