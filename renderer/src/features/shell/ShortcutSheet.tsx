import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { setShortcuts } from './ui';

const SHORTCUTS: [string, string][] = [
  ['Ctrl/Cmd K', 'Command palette'],
  ['c', 'New ticket'],
  ['j / k', 'Next / previous ticket'],
  ['Enter', 'Open ticket'],
  ['/', 'Search the queue'],
  ['a', 'Assign to me (Queues); acknowledge the focused alert (Alerts)'],
  ['r', 'Reply'],
  ['n', 'Internal note'],
  ['e', 'Resolve'],
  ['x', 'Select ticket for bulk actions'],
  ['Esc', 'Back / close'],
  ['?', 'This sheet'],
];

const COLUMNS: Column<[string, string]>[] = [
  { id: 'key', header: 'Key', cell: ([k]) => <kbd>{k}</kbd> },
  { id: 'does', header: 'Does', cell: ([, v]) => v },
];

export function ShortcutSheet() {
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setShortcuts(false)}>
      <DataTable headless columns={COLUMNS} rows={SHORTCUTS} rowKey={([k]) => k} />
      <div className="row end" style={{ marginTop: 12 }}>
        <button onClick={() => setShortcuts(false)}>Close</button>
      </div>
    </Dialog>
  );
}
