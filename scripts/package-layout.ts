/**
 * The layout electron-builder makes of the app from electron-builder.yml, without the Electron
 * binary: the `files` patterns plus the production dependencies packed into app.asar with
 * @electron/asar, the `asarUnpack` patterns beside it in app.asar.unpacked. The packaged-layout test
 * starts the embedded backend from it; `npm run package:layout -- DIR` writes it and lists what is
 * biggest.
 */
import { createPackageWithOptions } from '@electron/asar';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';

const root = path.join(import.meta.dirname, '..');

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full, base);
    return e.isFile() ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/** The app's own files that the `files` patterns select (later `!` patterns remove, in order). */
export function selectAppFiles(all: string[], patterns: string[]): string[] {
  return all.filter((f) => {
    let keep = false;
    for (const p of patterns) {
      if (p.startsWith('!')) {
        if (minimatch(f, p.slice(1), { dot: true })) keep = false;
      } else if (minimatch(f, p, { dot: true })) keep = true;
    }
    return keep;
  });
}

/** The production dependency folders (what electron-builder packs as node_modules). */
function productionPackages(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return [...new Set(out.split('\n').filter((l) => l.includes(`${path.sep}node_modules${path.sep}`)))];
}

export interface Layout {
  asar: string;
  unpacked: string;
  /** Bytes per top-level entry (out/…, node_modules/<package>), largest first. */
  sizes: { name: string; bytes: number }[];
}

export async function assembleLayout(dest: string): Promise<Layout> {
  const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  const stage = path.join(dest, 'stage');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const candidates = ['out', 'resources'].flatMap((d) => walk(path.join(root, d)).map((f) => `${d}/${f}`)).concat('package.json');
  for (const f of selectAppFiles(candidates, config.files)) cpSync(path.join(root, f), path.join(stage, f));
  // Packages without their .bin links (electron-builder leaves them out too; they point outside the app).
  const noBin = (src: string) => !src.split(path.sep).includes('.bin');
  for (const dir of productionPackages()) cpSync(dir, path.join(stage, path.relative(root, dir)), { recursive: true, filter: noBin });
  const asar = path.join(dest, 'resources', 'app.asar');
  mkdirSync(path.dirname(asar), { recursive: true });
  const unpackDirs = config.asarUnpack.filter((p) => p.endsWith('/**')).map((p) => p.slice(0, -3));
  await createPackageWithOptions(stage, asar, { unpackDir: `{${unpackDirs.join(',')}}` });
  const sizes = new Map<string, number>();
  for (const f of walk(stage)) {
    const parts = f.split('/');
    const name = parts[0] === 'node_modules' ? parts.slice(0, parts[1]!.startsWith('@') ? 3 : 2).join('/') : parts.slice(0, 2).join('/');
    sizes.set(name, (sizes.get(name) ?? 0) + statSync(path.join(stage, f)).size);
  }
  rmSync(stage, { recursive: true, force: true });
  return { asar, unpacked: `${asar}.unpacked`, sizes: [...sizes].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const dest = path.resolve(process.argv[2] ?? path.join(root, 'release', 'layout'));
  const layout = await assembleLayout(dest);
  const total = layout.sizes.reduce((a, s) => a + s.bytes, 0);
  console.log(`${layout.asar} (+ .unpacked): ${(total / 1048576).toFixed(1)} MiB before compression; the largest parts:`);
  for (const s of layout.sizes.slice(0, 15)) console.log(`  ${(s.bytes / 1048576).toFixed(1).padStart(6)} MiB  ${s.name}`);
}
