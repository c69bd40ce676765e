import { z } from 'zod';
import type { CommandParam, CommandRunbookInput } from '../../../shared/api/runbooks';
import { RunbookFailure, type AnyRunbook } from './runbook';

function paramSchema(p: CommandParam): z.ZodType {
  let s: z.ZodType<string> = z.string().max(4000).describe(p.description);
  if (p.allowed) s = z.enum(p.allowed as [string, ...string[]]).describe(p.description);
  else if (p.pattern) {
    const re = new RegExp(`^(?:${p.pattern})$`);
    s = z.string().max(4000).regex(re, `must match ${p.pattern}`).describe(p.description);
  }
  if (p.default !== undefined) return s.default(p.default);
  return p.required ? s : s.optional();
}

/**
 * An admin-defined runbook: argv run directly, with `{{name}}` placeholders replaced by validated
 * parameter values. No shell is involved, so `; rm -rf /` in a value is one literal argument.
 */
export function commandRunbook(def: CommandRunbookInput): AnyRunbook {
  const schema = z.object(Object.fromEntries(def.params.map((p) => [p.name, paramSchema(p)]))).strict();
  return {
    id: def.id,
    title: def.title,
    description: def.description,
    kind: 'command',
    schema,
    minRole: def.minRole,
    destructive: () => def.destructive,
    destructiveWhen: null,
    approvalByDefault: def.requiresApproval,
    timeoutMs: def.timeoutSeconds * 1000,
    lockKey: () => `runbook:${def.id}`,
    async run(exec) {
      const values = exec.params as Record<string, string | undefined>;
      const argv = def.argv.map((arg) => arg.replace(/\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}/g, (_m, name: string) => values[name] ?? ''));
      const r = await exec.spawn(argv, { env: def.env, cwd: def.cwd });
      if (r.stopped) throw new RunbookFailure(r.forced ? 'stopped (forced after the grace period)' : 'stopped', r.exitCode ?? 137);
      if (r.exitCode !== 0) throw new RunbookFailure(`${argv[0]} exited with ${r.exitCode ?? r.signal}`, r.exitCode ?? 1);
      return { summary: `${argv[0]} exited with 0`, exitCode: 0 };
    },
  };
}
