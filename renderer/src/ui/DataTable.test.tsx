// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataTable, hiddenHeader, type Column } from './DataTable';

interface Row {
  id: string;
  name: string;
  size: number;
}
const ROWS: Row[] = [
  { id: 'a', name: 'alpha', size: 1 },
  { id: 'b', name: 'beta', size: 22 },
];
const COLUMNS: Column<Row>[] = [
  { id: 'name', header: 'Name', cell: (r) => <strong>{r.name}</strong> },
  {
    id: 'size',
    header: <em>Size</em>,
    cell: (r) => `${r.size} B`,
    td: (r) => ({ className: r.size > 9 ? 'big' : 'small' }),
  },
  { id: 'actions', header: hiddenHeader('Actions'), cell: (r) => <button>Open {r.name}</button> },
];

afterEach(cleanup);

describe('DataTable', () => {
  it('renders a header row of text and elements, then one row per item with its cells', () => {
    const { container } = render(<DataTable columns={COLUMNS} rows={ROWS} rowKey={(r) => r.id} />);
    const table = container.querySelector('table.data')!;
    const heads = [...table.querySelectorAll('thead th')];
    expect(heads.map((h) => h.textContent)).toEqual(['Name', 'Size', 'Actions']);
    expect(heads[1]!.querySelector('em')).not.toBeNull();
    expect(heads[2]!.querySelector('.sr-only')).not.toBeNull();
    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect([...rows[1]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      'beta',
      '22 B',
      'Open beta',
    ]);
    expect(rows[0]!.querySelectorAll('td')[1]!.className).toBe('small');
    expect(rows[1]!.querySelectorAll('td')[1]!.className).toBe('big');
  });

  it('passes row attributes and handlers, and table attributes', () => {
    const open = vi.fn();
    render(
      <DataTable
        data-testid="things"
        columns={COLUMNS}
        rows={ROWS}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ className: 'clickable', 'data-id': r.id, onClick: () => open(r.id) })}
      />,
    );
    const table = screen.getByTestId('things');
    const beta = table.querySelector('tr[data-id="b"]') as HTMLElement;
    expect(beta.className).toBe('clickable');
    fireEvent.click(within(beta).getByText('beta'));
    expect(open).toHaveBeenCalledWith('b');
  });

  it('leaves the header row out of a headless table', () => {
    const { container } = render(<DataTable headless columns={COLUMNS} rows={ROWS} rowKey={(r) => r.id} />);
    expect(container.querySelector('thead')).toBeNull();
    expect(container.querySelectorAll('tbody tr')).toHaveLength(2);
  });
});
