// Child process for secret-store tests: opens the store the way the app does and round-trips a secret.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localKeyEncryptor } from '../secrets/encrypted-file-secret-store';
import { openSecretStore, secretAccount } from '../secrets/open-secret-store';

const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-secrets-'));
const { store, notice } = await openSecretStore(path.join(dir, 'secrets.bin'), localKeyEncryptor(path.join(dir, 'secrets.key')));
const account = secretAccount(`p${process.pid}`, 'agent@example.com');
await store.set(account, 'refresh-token-value');
const read = await store.get(account);
const deleted = await store.delete(account);
const afterDelete = await store.get(account);
process.stdout.write(JSON.stringify({ kind: store.kind, notice, read, deleted, afterDelete }));
