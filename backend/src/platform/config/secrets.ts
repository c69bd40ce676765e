import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { randomSecret } from '../ids';
import { ConfigError, parseConfig, type Config, type RawConfig } from './config';

const SecretsFile = z.object({ JWT_SECRET: z.string().min(32) });

/**
 * Fills in the secrets the operator did not give: generated on first start and kept in
 * DATA_DIR/secrets.json with mode 0600, so restarts keep sessions valid.
 */
export function resolveConfig(raw: RawConfig): Config {
  mkdirSync(raw.DATA_DIR, { recursive: true });
  const file = path.join(raw.DATA_DIR, 'secrets.json');
  let secrets: z.infer<typeof SecretsFile> | undefined;
  try {
    secrets = SecretsFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`DATA_DIR: ${file} is unreadable or corrupt; fix or remove it`);
    }
  }
  if (!secrets && !raw.JWT_SECRET) {
    secrets = { JWT_SECRET: randomSecret(48) };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    ...raw,
    DATABASE_URL: raw.DATABASE_URL ?? `sqlite:${path.join(raw.DATA_DIR, 'opsdesk.db')}`,
    JWT_SECRET: raw.JWT_SECRET ?? secrets!.JWT_SECRET,
    JWT_SECRET_GENERATED: !raw.JWT_SECRET,
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return resolveConfig(parseConfig(env));
}
