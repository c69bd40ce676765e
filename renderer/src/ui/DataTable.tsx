import type { HTMLAttributes, ReactNode, TableHTMLAttributes, TdHTMLAttributes } from 'react';

type DataAttributes = { [k: `data-${string}`]: string | number | undefined };

/** One column of a DataTable: its header (text or an element) and how a row fills its cell. */
export interface Column<R> {
  /** Unique in the table (the header cell's key). */
  id: string;
  header: ReactNode;
  cell: (row: R) => ReactNode;
  /** Attributes of the row's cell: class, style, title. */
  td?: (row: R) => TdHTMLAttributes<HTMLTableCellElement>;
}

/** A header that only screen readers read (action columns). */
export function hiddenHeader(text: string): ReactNode {
  return <span className="sr-only">{text}</span>;
}

/** The app's data table, defined by its columns. */
export function DataTable<R>({
  columns,
  rows,
  rowKey,
  rowProps,
  headless = false,
  ...table
}: {
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  rowProps?: (row: R) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  /** A table of pairs (a key and its meaning) reads without a header row. */
  headless?: boolean;
} & TableHTMLAttributes<HTMLTableElement> &
  DataAttributes) {
  return (
    <table className="data" {...table}>
      {!headless && (
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.id}>{c.header}</th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} {...rowProps?.(r)}>
            {columns.map((c) => (
              <td key={c.id} {...c.td?.(r)}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
