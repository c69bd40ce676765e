import { fileURLToPath } from 'node:url';
import { BACKEND_ENTRIES, type BackendEntry } from '../../../shared/backend-entries';

/**
 * The command that starts another backend entry the way this process runs: the compiled file beside
 * this bundle (out/backend/<name>.js, plain node), or, when running from the TypeScript sources
 * (development, tests), the source through tsx.
 */
export function entryCommand(name: BackendEntry, here: string = import.meta.url): string[] {
  if (here.endsWith('.ts')) {
    // This file is backend/src/platform/entries.ts.
    return [process.execPath, '--import', 'tsx', fileURLToPath(new URL(`../${BACKEND_ENTRIES[name]}`, here))];
  }
  // Bundled: this code sits in out/backend/<entry>.js, beside the other entries.
  return [process.execPath, fileURLToPath(new URL(`./${name}.js`, here))];
}
