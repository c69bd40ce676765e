import { describe, expect, it } from 'vitest';
import { fieldsOf, initialValues, toParams, validate } from './schema-form';

const schema = {
  type: 'object',
  properties: {
    service: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 40 },
    replicas: { type: 'integer', minimum: 0, maximum: 20 },
    kind: { type: 'string', enum: ['manual', 'pre-maintenance'], default: 'manual' },
    dryRun: { type: 'boolean', default: true },
    note: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
  },
  required: ['service', 'replicas', 'kind'],
};

describe('schema form', () => {
  const fields = fieldsOf(schema);
  it('derives a field per property with the right control', () => {
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['service', 'text', true],
      ['replicas', 'integer', true],
      ['kind', 'select', false],
      ['dryRun', 'boolean', false],
      ['note', 'text', false],
    ]);
    expect(initialValues(fields)).toEqual({
      service: '',
      replicas: '',
      kind: 'manual',
      dryRun: true,
      note: '',
    });
  });
  it('validates inline with readable messages', () => {
    const errs = validate(fields, {
      service: 'Bad Name',
      replicas: '30',
      kind: 'manual',
      dryRun: false,
      note: 'toolong',
    });
    expect(errs.service).toMatch(/format/);
    expect(errs.replicas).toBe('At most 20.');
    expect(errs.note).toBe('At most 5 characters.');
    expect(
      validate(fields, { service: '', replicas: '1.5', kind: 'manual', dryRun: false, note: '' }),
    ).toEqual({ service: 'Required.', replicas: 'Enter a whole number.' });
  });
  it('converts to typed params', () => {
    expect(
      toParams(fields, { service: 'api', replicas: '3', kind: 'manual', dryRun: false, note: '' }),
    ).toEqual({ service: 'api', replicas: 3, kind: 'manual', dryRun: false });
  });
});
