// `npm run build:backend`: the backend's process entries bundled into plain JavaScript in
// out/backend/, run with `node` (no tsx at run time). Our code is bundled, one self-contained file
// per entry (so an entry finds its siblings beside it); packages stay imports of node_modules.
// Fast (a fraction of a second), so whatever runs the backend builds it first.
import { build } from 'esbuild';
import path from 'node:path';
import { BACKEND_ENTRIES, COMPILED_BACKEND_DIR, sourceEntry, type BackendEntry } from '../shared/backend-entries';

const root = path.join(import.meta.dirname, '..');

export async function buildBackend(options: { verbose?: boolean } = {}): Promise<number> {
  const started = performance.now();
  const names = Object.keys(BACKEND_ENTRIES) as BackendEntry[];
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(names.map((n) => [n, sourceEntry(n)])),
    outdir: COMPILED_BACKEND_DIR,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: options.verbose ? 'info' : 'warning',
  });
  return performance.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const verbose = process.argv.includes('--verbose');
  const ms = await buildBackend({ verbose });
  if (verbose) console.log(`backend built into ${COMPILED_BACKEND_DIR} in ${Math.round(ms)} ms`);
}
