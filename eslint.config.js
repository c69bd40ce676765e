// Layering is enforced here, not by memory (see ../shared/STYLE.md):
// shared/ is environment-free, only electron/main and electron/preload import electron,
// the renderer never reaches HTTP, sockets or backend code directly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'worker_threads', 'url', 'util', 'zlib', 'events', 'dns', 'tls'];
const nodeModules = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `node:${m}/*`]);

// Tests, benchmarks and the harness; backend/test-support/ is never imported by production code.
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/test-support/**', 'e2e/**', 'bench/**'];
const noTestSupport = { group: ['**/test-support', '**/test-support/**'], message: 'Production code never imports test support (backend/test-support/).' };

/** A layer's import restrictions: production files of the layer also may not import test support. */
function restrictImports(files, { paths = [], patterns = [] }, extra = {}) {
  const rule = (p) => ['error', { paths, patterns: p }];
  return [
    { files, ...extra, rules: { ...extra.rules, 'no-restricted-imports': rule(patterns) } },
    { files, ignores: [...(extra.ignores ?? []), ...testFiles], rules: { 'no-restricted-imports': rule([...patterns, noTestSupport]) } },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules', '.tools', 'out', 'dist', 'release', 'test-output', 'bench-output', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...restrictImports(['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'], { paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }] }),
  {
    // Tests and benchmarks read JSON bodies loosely.
    files: testFiles,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...restrictImports(['electron/main/**', 'electron/preload/**'], {}),
  ...restrictImports(
    ['shared/**'],
    {
      paths: [{ name: 'electron', message: 'shared/ is environment-free.' }, ...nodeModules.filter((m) => !m.endsWith('/*')).map((name) => ({ name, message: 'shared/ must not import Node APIs.' }))],
      patterns: [{ group: ['**/backend/**', '**/electron/**', '**/renderer/**', 'node:*'], message: 'shared/ imports nothing environment-specific.' }],
    },
    { ignores: ['shared/**/*.test.ts'], rules: { 'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'] } },
  ),
  ...restrictImports(
    ['renderer/**'],
    {
      paths: ['electron', 'axios', 'socket.io-client', ...nodeModules.filter((m) => !m.endsWith('/*'))].map((name) => ({ name, message: 'The renderer talks only to window.opsdesk.' })),
      patterns: [{ group: ['**/backend/**', '**/electron/core/**', '**/electron/main/**', '**/electron/host/**', 'node:*'], message: 'The renderer talks only to window.opsdesk.' }],
    },
    { languageOptions: { globals: { ...globals.browser } }, plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  ),
  {
    // Values of shared/ipc build every channel's schema (and the route table's) when the bundle
    // starts: the renderer imports only its types; enums come from shared/domain.
    files: ['renderer/**'],
    ignores: testFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/shared/ipc', '**/shared/ipc/*', '**/shared/api/routes', '**/shared/api/routes/*'], allowTypeImports: true, message: 'Import only types from shared/ipc in the renderer (values from shared/domain).' }] },
      ],
    },
  },
  {
    // The renderer calls routes by name (`call('api.tickets.get', …)`), never by path.
    files: ['renderer/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^\\/api\\/v1/]', message: 'No REST paths in the renderer: call the typed api.<route> channel.' },
        { selector: 'TemplateElement[value.raw=/^\\/api\\/v1/]', message: 'No REST paths in the renderer: call the typed api.<route> channel.' },
      ],
    },
  },
  ...restrictImports(['backend/**'], {
    paths: [{ name: 'electron', message: 'The backend never imports electron.' }],
    patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'The backend depends only on shared/.' }],
  }),
);
