import type { CSSProperties, InputHTMLAttributes, ReactNode } from 'react';

/** A one-line form (a row of fields and its button): submits without reloading the page. */
export function RowForm({ onSubmit, style, children }: { onSubmit: () => void; style?: CSSProperties; children: ReactNode }) {
  return (
    <form
      className="row"
      style={style}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** The form's closing row: Cancel (never submits) and the primary submit button. */
export function FormActions({
  onCancel,
  busy,
  submit,
}: {
  onCancel: () => void;
  busy: boolean;
  submit: string;
}) {
  return (
    <div className="row end">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button className="primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

/** A labelled text input with an optional hint, or an error in the hint's place. */
export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  inline,
  ...input
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  inline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  return (
    <label className={inline ? 'inline' : undefined}>
      {label}
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(error !== undefined ? { 'aria-invalid': !!error } : {})}
        {...input}
      />
      {(error || hint) && <span className={error ? 'field-error' : 'field-hint'}>{error ?? hint}</span>}
    </label>
  );
}

/** A checkbox with its label after it. */
export function Checkbox({
  checked,
  onChange,
  disabled,
  spaced = true,
  style,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** A space between the box and its label. */
  spaced?: boolean;
  style?: CSSProperties;
  children: ReactNode;
}) {
  return (
    <label className="inline" style={style}>
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      {spaced && ' '}
      {children}
    </label>
  );
}

/** One checkbox per value, checked when the value is in the list. */
export function CheckboxGroup<T extends string>({
  values,
  checked,
  onChange,
  label = (v) => v,
  spaced = false,
}: {
  values: readonly T[];
  checked: readonly T[];
  onChange: (next: T[]) => void;
  label?: (v: T) => ReactNode;
  /** A space between the box and its label. */
  spaced?: boolean;
}) {
  return (
    <>
      {values.map((v) => (
        <Checkbox
          key={v}
          spaced={spaced}
          checked={checked.includes(v)}
          onChange={(on) => onChange(on ? [...checked, v] : checked.filter((x) => x !== v))}
        >
          {label(v)}
        </Checkbox>
      ))}
    </>
  );
}
