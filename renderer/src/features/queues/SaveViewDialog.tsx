import { useState } from 'react';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { saveCurrentAsView } from './actions';

export function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Save view" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await saveCurrentAsView(name);
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
        <p className="muted" style={{ margin: 0 }}>
          Saves the current view&apos;s filter with your search, status and priority refinements and the sort
          order.
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
