/** The subset of JSON Schema that runbook parameters use, for generating and validating forms. */
export interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: FieldSchema[];
  /** Where the form offers the values from (the backend marks service names with 'services'). */
  'x-picker'?: string;
}
export interface ObjectSchema {
  type?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

export interface Field {
  name: string;
  label: string;
  kind: 'select' | 'boolean' | 'number' | 'integer' | 'text';
  options: string[];
  required: boolean;
  schema: FieldSchema;
  /** The list this field's value is picked from, when the schema names one. */
  picker?: string;
}

const typeOf = (s: FieldSchema): string | undefined =>
  Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;

export function fieldsOf(schema: unknown): Field[] {
  const obj = (schema ?? {}) as ObjectSchema;
  const req = new Set(obj.required ?? []);
  return Object.entries(obj.properties ?? {}).map(([name, raw]) => {
    const s = raw.anyOf?.find((x) => typeOf(x) !== 'null') ?? raw;
    const merged: FieldSchema = {
      ...s,
      default: raw.default ?? s.default,
      description: raw.description ?? s.description,
    };
    const t = typeOf(merged);
    const kind: Field['kind'] = merged.enum
      ? 'select'
      : t === 'boolean'
        ? 'boolean'
        : t === 'integer'
          ? 'integer'
          : t === 'number'
            ? 'number'
            : 'text';
    return {
      name,
      label: merged.title ?? name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
      kind,
      options: (merged.enum ?? []).map(String),
      required: req.has(name) && merged.default === undefined,
      schema: merged,
      picker: merged['x-picker'],
    };
  });
}

export function initialValues(fields: Field[]): Record<string, string | boolean> {
  return Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.kind === 'boolean'
        ? Boolean(f.schema.default ?? false)
        : f.schema.default != null
          ? String(f.schema.default)
          : f.kind === 'select' && f.required
            ? (f.options[0] ?? '')
            : '',
    ]),
  );
}

/** One message per invalid field, in words a person can act on. */
export function validate(fields: Field[], values: Record<string, string | boolean>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') continue;
    const text = String(v ?? '').trim();
    if (!text) {
      if (f.required) errors[f.name] = 'Required.';
      continue;
    }
    const s = f.schema;
    if (f.kind === 'integer' || f.kind === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) errors[f.name] = 'Enter a number.';
      else if (f.kind === 'integer' && !Number.isInteger(n)) errors[f.name] = 'Enter a whole number.';
      else if (s.minimum != null && n < s.minimum) errors[f.name] = `At least ${s.minimum}.`;
      else if (s.maximum != null && n > s.maximum) errors[f.name] = `At most ${s.maximum}.`;
      else if (s.exclusiveMinimum != null && n <= s.exclusiveMinimum)
        errors[f.name] = `More than ${s.exclusiveMinimum}.`;
      else if (s.exclusiveMaximum != null && n >= s.exclusiveMaximum)
        errors[f.name] = `Less than ${s.exclusiveMaximum}.`;
    } else if (f.kind === 'select') {
      if (!f.options.includes(text)) errors[f.name] = `Choose one of ${f.options.join(', ')}.`;
    } else {
      if (s.minLength != null && text.length < s.minLength)
        errors[f.name] = `At least ${s.minLength} characters.`;
      else if (s.maxLength != null && text.length > s.maxLength)
        errors[f.name] = `At most ${s.maxLength} characters.`;
      else if (s.pattern && !new RegExp(s.pattern).test(text))
        errors[f.name] = `Does not match the expected format (${s.pattern}).`;
    }
  }
  return errors;
}

/** Converts form values to the typed parameters the runbook expects; empty optional fields are left out. */
export function toParams(fields: Field[], values: Record<string, string | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') out[f.name] = Boolean(v);
    else if (String(v ?? '').trim() === '') continue;
    else if (f.kind === 'integer' || f.kind === 'number') out[f.name] = Number(v);
    else out[f.name] = String(v).trim();
  }
  return out;
}

/** Fields picked from a list (e.g. the declared services) become selects once the list is known. */
export function withPickerOptions(fields: Field[], picker: string, options: string[] | undefined): Field[] {
  if (!options) return fields;
  return fields.map((f) => (f.picker === picker ? { ...f, kind: 'select', options } : f));
}
