import { z } from 'zod';
import { Timestamp } from './common';

export const RunbookRole = z.enum(['oncall', 'admin']);

export const Runbook = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(['builtin', 'command']),
  /** Lowest role that may run it; agents run none. */
  minRole: RunbookRole,
  /** Destructive runbooks need `confirmation` equal to the runbook id (and some need approval). */
  destructive: z.boolean(),
  /** Whether destructiveness depends on the parameters (e.g. scaling to 0). */
  destructiveWhen: z.string().nullable(),
  requiresApproval: z.boolean(),
  timeoutMs: z.number().int(),
  /** JSON Schema of the parameters, for generating forms. */
  parameters: z.record(z.string(), z.unknown()),
});
export type Runbook = z.infer<typeof Runbook>;

/** A parameter of an admin-defined command runbook: validated before substitution into argv. */
export const CommandParam = z
  .object({
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'parameter names are letters, digits and _'),
    description: z.string().max(500).default(''),
    required: z.boolean().default(true),
    allowed: z.array(z.string().max(500)).min(1).max(200).optional(),
    pattern: z.string().max(500).optional(),
    default: z.string().max(500).optional(),
  })
  .refine((p) => p.allowed || p.pattern, 'each parameter needs allowed values or a pattern')
  .refine((p) => {
    if (!p.pattern) return true;
    try {
      new RegExp(p.pattern);
      return true;
    } catch {
      return false;
    }
  }, 'pattern is not a valid regular expression');
export type CommandParam = z.infer<typeof CommandParam>;

export const CommandRunbookInput = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'ids are lowercase letters, digits and -'),
  title: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  /** argv: executable then arguments; `{{name}}` inside an element is replaced by the parameter value. Never a shell. */
  argv: z.array(z.string().min(1).max(2000)).min(1).max(100),
  params: z.array(CommandParam).max(30).default([]),
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment names are upper case'), z.string().max(4000)).default({}),
  cwd: z.string().max(1000).optional(),
  timeoutSeconds: z.number().int().min(1).max(86_400).default(600),
  minRole: RunbookRole.default('admin'),
  destructive: z.boolean().default(false),
  requiresApproval: z.boolean().default(false),
});
export type CommandRunbookInput = z.infer<typeof CommandRunbookInput>;

export const CommandRunbook = CommandRunbookInput.extend({ createdBy: z.string().nullable(), createdAt: Timestamp, updatedAt: Timestamp });
export type CommandRunbook = z.infer<typeof CommandRunbook>;
