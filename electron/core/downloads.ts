import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a downloaded file into `dir` under its own name, made safe (no folders, no control
 * characters, no hidden dot-file) and never overwriting: `name (2).ext` when the name is taken.
 */
export function saveDownload(dir: string, filename: string, data: Buffer): { path: string; size: number } {
  mkdirSync(dir, { recursive: true });
  const clean = path.basename(filename.replace(/\\/g, '/')).replace(/\p{Cc}/gu, '').replace(/^\.+/, '').trim() || 'attachment';
  const ext = path.extname(clean);
  const stem = clean.slice(0, clean.length - ext.length);
  let target = path.join(dir, clean);
  for (let i = 2; existsSync(target); i++) target = path.join(dir, `${stem} (${i})${ext}`);
  writeFileSync(target, data, { flag: 'wx', mode: 0o600 });
  return { path: target, size: data.length };
}
