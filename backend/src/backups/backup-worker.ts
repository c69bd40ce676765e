import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

/** How a backup file's content is compressed inside its AES-256-GCM envelope (null: not at all). */
export type Codec = 'zstd' | 'gzip' | null;

/** zstd where this runtime's zlib has it (Node ≥ 22.15), else gzip: both at level 1. */
export const FAST_CODEC: 'zstd' | 'gzip' = typeof zlib.createZstdCompress === 'function' ? 'zstd' : 'gzip';

export function codecAvailable(codec: Codec): boolean {
  return codec !== 'zstd' || typeof zlib.createZstdDecompress === 'function';
}

/**
 * The heavy parts of a backup, each in a thread of its own so the event loop that serves the
 * server never waits on them: the online copy (one backup step: a single read transaction, so the
 * copy is one consistent snapshot while the server keeps writing), the seal (read → compress →
 * AES-256-GCM → sha256 of what is stored → write, one pass; zlib's codecs run in libuv's pool),
 * its reverse, a file's sha256, and the check of a SQLite file (integrity_check, optionally
 * foreign_key_check, row counts). Plain JavaScript evaluated as a worker, as the reader pool does
 * (nothing a bundler or test runner has to transform).
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { PassThrough, Transform } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const MB = 1 << 20;
const MAGIC = Buffer.from('OPSDENC1', 'latin1');
const IV = 12;
const TAG = 16;
const HEADER = MAGIC.length + IV;

function compressor(codec) {
  if (codec === 'zstd') return zlib.createZstdCompress({ chunkSize: MB, params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } });
  if (codec === 'gzip') return zlib.createGzip({ level: 1, chunkSize: MB });
  return new PassThrough();
}

function decompressor(codec) {
  if (codec === 'zstd') return zlib.createZstdDecompress({ chunkSize: MB });
  if (codec === 'gzip') return zlib.createGunzip({ chunkSize: MB });
  return new PassThrough();
}

async function seal({ src, dest, key, codec }) {
  const iv = crypto.randomBytes(IV);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const framed = async function* (source) {
    yield Buffer.concat([MAGIC, iv]);
    for await (const chunk of source) yield chunk;
    yield cipher.getAuthTag();
  };
  const tap = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(fs.createReadStream(src, { highWaterMark: MB }), compressor(codec), cipher, framed, tap, fs.createWriteStream(dest, { mode: 0o600 }));
  return { sha256: hash.digest('hex'), size };
}

async function open({ src, dest, key, codec }) {
  let input;
  const stages = [];
  if (key) {
    const fd = fs.openSync(src, 'r');
    const header = Buffer.alloc(HEADER);
    const tag = Buffer.alloc(TAG);
    let size;
    try {
      size = fs.fstatSync(fd).size;
      if (size < HEADER + TAG) throw new Error('too short to be a sealed backup');
      fs.readSync(fd, header, 0, HEADER, 0);
      fs.readSync(fd, tag, 0, TAG, size - TAG);
    } finally {
      fs.closeSync(fd);
    }
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a sealed backup');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length));
    decipher.setAuthTag(tag);
    input = fs.createReadStream(src, { start: HEADER, end: size - TAG - 1, highWaterMark: MB });
    stages.push(decipher);
  } else input = fs.createReadStream(src, { highWaterMark: MB });
  await pipeline(input, ...stages, decompressor(codec), fs.createWriteStream(dest, { mode: 0o600 }));
  return {};
}

async function hash({ file }) {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file, { highWaterMark: MB }), h);
  return { sha256: h.digest('hex') };
}

async function copy({ file, dest, module }) {
  const Database = require(module);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // After the first (empty) step, every remaining page in one step: one read transaction.
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  return {};
}

const q = (name) => '"' + name.replace(/"/g, '""') + '"';

function inspect({ file, module, foreignKeys }) {
  const Database = require(module);
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { openError: err.message };
  }
  try {
    // Reading pages through a memory map rather than read() calls: a sixth less CPU for integrity_check.
    db.pragma('mmap_size = 2147418112');
    const problems = db.pragma('integrity_check').map((r) => r.integrity_check).filter((r) => r !== 'ok');
    const fkViolations = foreignKeys ? db.pragma('foreign_key_check').length : 0;
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    const virtuals = tables.filter((t) => /^CREATE VIRTUAL/i.test(t.sql || '')).map((t) => t.name);
    const rowCounts = {};
    for (const { name } of tables) {
      // A full-text index's shadow tables are left out (their layout differs after a rebuild).
      if (virtuals.some((v) => name.startsWith(v + '_'))) continue;
      try {
        rowCounts[name] = db.prepare('SELECT count(*) AS n FROM ' + q(name)).get().n;
      } catch (err) {
        // A virtual table whose module this build lacks cannot be counted; any other failure is a problem.
        if (!virtuals.includes(name)) problems.push(name + ': ' + err.message);
      }
    }
    const schemaVersion = tables.some((t) => t.name === 'schema_migrations') ? db.prepare('SELECT max(name) AS v FROM schema_migrations').get().v : null;
    return { problems, fkViolations, rowCounts, schemaVersion: schemaVersion ?? null };
  } catch (err) {
    return { openError: err.message };
  } finally {
    db.close();
  }
}

const ops = { seal, open, hash, copy, inspect };
Promise.resolve()
  .then(() => ops[workerData.op](workerData))
  .then((result) => parentPort.postMessage({ result }), (err) => parentPort.postMessage({ error: err.message }));
`;

export interface InspectResult {
  openError?: string;
  problems: string[];
  fkViolations: number;
  rowCounts: Record<string, number>;
  schemaVersion: string | null;
}

type Tasks = {
  seal: [{ src: string; dest: string; key: Buffer; codec: Codec }, { sha256: string; size: number }];
  open: [{ src: string; dest: string; key: Buffer | null; codec: Codec }, Record<string, never>];
  hash: [{ file: string }, { sha256: string }];
  copy: [{ file: string; dest: string }, Record<string, never>];
  inspect: [{ file: string; foreignKeys?: boolean }, InspectResult];
};

let sqliteModule: string | undefined;

/** Runs one task in a fresh worker thread; resolves with its result, rejects with its error. */
export function inWorker<K extends keyof Tasks>(op: K, data: Tasks[K][0]): Promise<Tasks[K][1]> {
  sqliteModule ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: { ...data, op, module: sqliteModule } });
    let settled = false;
    worker.once('message', (m: { result?: Tasks[K][1]; error?: string }) => {
      settled = true;
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.result!);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`backup worker (${op}) exited with code ${code} before answering`));
    });
  });
}
