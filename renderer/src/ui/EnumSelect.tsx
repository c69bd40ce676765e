import type { ReactNode, SelectHTMLAttributes } from 'react';
import { titleCase } from '../lib/format';

/**
 * A select over an enum's values (priorities, statuses, roles …). `empty` adds a first option with
 * the value "" ("Any", "…"); choosing it calls `onEmpty`. `value` "" shows that option.
 */
export function EnumSelect<T extends string>({
  values,
  value,
  onChange,
  label = titleCase,
  empty,
  onEmpty,
  ...select
}: {
  values: readonly T[];
  value: T | '';
  onChange: (value: T) => void;
  label?: (value: T) => ReactNode;
  empty?: string;
  onEmpty?: () => void;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  return (
    <select
      value={value}
      onChange={(e) => {
        const v = e.target.value;
        if (v === '') onEmpty?.();
        else onChange(v as T);
      }}
      {...select}
    >
      {empty !== undefined && <option value="">{empty}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </select>
  );
}
