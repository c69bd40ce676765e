/**
 * The backend's process entries: the TypeScript source (under backend/src) and the compiled file
 * (under out/backend, made by `npm run build:backend`). The build, the backend starting its own job
 * workers, and the desktop core starting the embedded backend all read this one list.
 */
export const BACKEND_ENTRIES = {
  main: 'main.ts',
  cli: 'cli.ts',
  'worker-main': 'jobs/worker-main.ts',
  'first-admin': 'setup/first-admin.ts',
} as const;
export type BackendEntry = keyof typeof BACKEND_ENTRIES;

/** Where the compiled entries live, relative to the app root. */
export const COMPILED_BACKEND_DIR = 'out/backend';

export const compiledEntry = (name: BackendEntry) => `${COMPILED_BACKEND_DIR}/${name}.js`;
export const sourceEntry = (name: BackendEntry) => `backend/src/${BACKEND_ENTRIES[name]}`;
