import type { Config } from '../platform/config/config';

/** One `npm run cli -- <name>` command. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** util.parseArgs option spec for the command's flags. */
  options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;
  /** Whether the command takes positional arguments. */
  positionals?: boolean;
  run(args: CliArgs): Promise<number>;
}

export interface CliArgs {
  config: Config;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: () => Promise<string>;
}

export class CliUsageError extends Error {}
