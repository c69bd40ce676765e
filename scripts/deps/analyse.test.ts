import { describe, expect, it } from 'vitest';
import { analyseDeps, type Manifest } from './analyse';

const installed: Record<string, Manifest> = {
  tsx: { bin: { tsx: 'dist/cli.mjs' } },
  '@testing-library/react': {
    peerDependencies: { '@testing-library/dom': '^10', '@types/react': '^19' },
    peerDependenciesMeta: { '@types/react': { optional: true } },
  },
};

function report(
  project: Manifest,
  code: Record<string, string>,
  commands = '',
  latest: Record<string, string> = {},
) {
  return analyseDeps({
    project,
    latest: new Map(Object.entries(latest)),
    code: new Map(Object.entries(code)),
    commands,
    installed: (n) => installed[n] ?? null,
  });
}

describe('deps report', () => {
  it('counts imports, commands, config names, types and required peers as use; lists the rest as unused', () => {
    const r = report(
      {
        dependencies: { zod: '4.0.0', 'left-pad': '1.0.0', '@scope/lib': '2.0.0', tsx: '4.0.0' },
        devDependencies: {
          'happy-dom': '21.0.0',
          '@types/node': '24.0.0',
          '@types/scope__lib': '2.0.0',
          '@types/unused': '1.0.0',
          '@testing-library/react': '16.0.0',
          '@testing-library/dom': '10.0.0',
          vitest: '5.0.0',
        },
      },
      {
        'a.ts':
          "import { z } from 'zod';\nimport type { X } from '@scope/lib/sub';\nconst s = 'text from \\'nowhere\\'';",
        'b.test.tsx': "// @vitest-environment happy-dom\nimport { render } from '@testing-library/react';",
        'vitest.config.ts': "export default { test: { pool: 'forks' } }; import('vitest/config');",
      },
      'tsx backend/src/main.ts',
    );
    expect(r.unused).toEqual(['@types/unused', 'left-pad']);
    expect(Object.fromEntries(r.used)).toMatchObject({
      zod: 'imported',
      '@scope/lib': 'imported',
      tsx: 'run as a command',
      'happy-dom': 'named in code or config',
      '@types/node': 'types of node',
      '@types/scope__lib': 'types of @scope/lib',
      '@testing-library/dom': 'peer of @testing-library/react',
      vitest: 'imported',
    });
    expect([...r.undeclared.keys()]).toEqual([]);
  });

  it('names bare imports nothing declares, and ignores Node builtins and relative paths', () => {
    const r = report(
      { dependencies: { otplib: '13.0.0' } },
      {
        'x.ts':
          "import { a } from '@otplib/core';\nimport fs from 'node:fs';\nimport p from 'path';\nimport { b } from './b';\nimport 'otplib';",
      },
    );
    expect([...r.undeclared]).toEqual([['@otplib/core', 'x.ts']]);
    expect(r.unused).toEqual([]);
  });

  it('lists majors behind the registry with the recorded decision, and decisions that are no longer needed', () => {
    const r = report(
      {
        dependencies: { a: '1.2.3', b: '2.0.0', c: '3.1.0' },
        dependencyDecisions: { b: 'waits for x', c: 'old reason' },
      },
      { 'x.ts': "import 'a'; import 'b'; import 'c';" },
      '',
      { a: '2.0.0', b: '3.0.0', c: '3.9.0' },
    );
    expect(r.behind).toEqual([
      { name: 'a', declared: '1.2.3', latest: '2.0.0', decision: null },
      { name: 'b', declared: '2.0.0', latest: '3.0.0', decision: 'waits for x' },
    ]);
    expect(r.staleDecisions).toEqual(['c']);
  });
});
