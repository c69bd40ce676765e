import { parseArgs } from 'node:util';
import { COMMANDS } from './cli/commands';
import { CliUsageError } from './cli/command';
import { ConfigError } from './platform/config/config';
import { loadConfig } from './platform/config/secrets';

/** `npm run cli -- <command> [flags]`: the manuals' management commands. */
export async function runCli(argv: string[], io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) }): Promise<number> {
  const [name, ...rest] = argv;
  const help = () => {
    io.out('Usage: npm run cli -- <command> [options]\n\nCommands:');
    for (const c of COMMANDS) io.out(`  ${c.usage.padEnd(58)} ${c.summary}`);
  };
  if (!name || name === 'help' || name === '--help') {
    help();
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run "npm run cli -- help" for the list.`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    const config = loadConfig();
    return await command.run({
      config,
      values: values as Record<string, string | boolean | undefined>,
      positionals,
      out: io.out,
      err: io.err,
      stdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
    });
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof ConfigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(e as Error).message}\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    io.err(`${name} failed: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
