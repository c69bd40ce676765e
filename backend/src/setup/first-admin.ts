import { ConfigError } from '../platform/config/config';
import { loadConfig } from '../platform/config/secrets';
import { cliServices } from '../app/processes';
import { createLogger } from '../platform/logging';
import { migrateToLatest } from '../platform/db/migrate';

/** The one input: a message from the desktop when it runs in an Electron utility process, stdin otherwise. */
async function readInput(): Promise<string> {
  const port = (process as { parentPort?: { once(event: 'message', listener: (e: { data: unknown }) => void): void } }).parentPort;
  if (port) return new Promise((resolve) => port.once('message', (e) => resolve(String(e.data))));
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * First run of an embedded (local workspace) backend: reads {"email","name","password"} as JSON
 * (stdin, or a message in a utility process), migrates DATA_DIR's database and creates the admin if the workspace has no users yet.
 * The desktop core runs this once before starting the server; the password never touches argv.
 * Exit codes: 0 created, 3 users already exist, 2 bad input or config, 1 anything else.
 */
async function main(): Promise<number> {
  let input: { email?: unknown; name?: unknown; password?: unknown };
  try {
    input = JSON.parse(await readInput()) as typeof input;
  } catch {
    process.stderr.write('stdin must be a JSON object with email, name and password\n');
    return 2;
  }
  if (typeof input.email !== 'string' || typeof input.password !== 'string') {
    process.stderr.write('email and password are required\n');
    return 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const ctx = cliServices(config, { logger: createLogger(config, 2) });
  try {
    await migrateToLatest(ctx.database);
    if ((await ctx.userService.list()).length > 0) {
      process.stderr.write('this workspace already has users\n');
      return 3;
    }
    const name = typeof input.name === 'string' && input.name.trim() ? input.name : 'Administrator';
    await ctx.userService.createAdmin({ id: null, email: 'first-run', ip: null }, input.email, input.password, name);
    return 0;
  } finally {
    await ctx.lifecycle.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { message?: string; code?: string };
    process.stderr.write(`${err instanceof ConfigError ? err.message : `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`}\n`);
    process.exit(e.code === 'weak_password' || e.code === 'validation_failed' ? 2 : 1);
  },
);
