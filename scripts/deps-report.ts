/**
 * `npm run deps:report`: what the next upgrade has to decide.
 *
 * - Dependencies behind their latest major on the registry, with the reason recorded in package.json
 *   `dependencyDecisions` when one was kept on purpose (an undecided one is marked so).
 * - Packages declared but never used: not imported, not run as a command, not named in a config,
 *   not the types of a used package and not a peer a used package needs.
 * - Bare imports of packages that are not declared (they work only while something else pulls them in).
 *
 * It only reads: the registry (through `npm view`, so npm's registry and CA settings apply), the
 * project's files and node_modules. Exit code 0 whatever it finds; `--strict` exits 1 when anything
 * is behind without a decision, unused or undeclared.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { analyseDeps, type Manifest } from './deps/analyse';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** Latest version of each package on the registry, eight lookups at a time. */
async function latestVersions(names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const { stdout } = await run('npm', ['view', name, 'dist-tags.latest'], { cwd: root });
      out.set(name, stdout.trim());
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

/** The project's own text files: what git tracks plus new files it does not ignore. */
async function projectFiles(project: Manifest): Promise<{ code: Map<string, string>; commands: string }> {
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  const code = new Map<string, string>();
  let commands = Object.values(project.scripts ?? {}).join('\n');
  for (const file of stdout.split('\n').filter(Boolean)) {
    // The lockfile and manifest are what is declared, the analysis test's fixtures are not our imports.
    if (['package.json', 'package-lock.json', 'scripts/deps/analyse.test.ts'].includes(file) || !existsSync(join(root, file))) continue;
    if (/\.(c|m)?[jt]sx?$|\.(json|ya?ml)$/.test(file)) code.set(file, readFileSync(join(root, file), 'utf8'));
    else if (/\.sh$|^\.ci\//.test(file)) commands += '\n' + readFileSync(join(root, file), 'utf8');
  }
  return { code, commands };
}

async function main() {
  const project = readJson(join(root, 'package.json'));
  const names = Object.keys({ ...project.dependencies, ...project.devDependencies });
  const [latest, files] = await Promise.all([latestVersions(names), projectFiles(project)]);
  const installed = (name: string) => {
    const file = join(root, 'node_modules', name, 'package.json');
    return existsSync(file) ? readJson(file) : null;
  };
  const r = analyseDeps({ project, latest, ...files, installed });
  const width = Math.max(...names.map((n) => n.length));
  const none = (list: { length: number } | { size: number }) =>
    ('length' in list ? list.length : list.size) === 0 && console.log('  none');

  console.log(`Behind their latest major (${r.behind.length} of ${names.length} declared):`);
  for (const b of r.behind) {
    console.log(
      `  ${b.name.padEnd(width)}  ${b.declared} → ${b.latest}  ${b.decision ? `kept: ${b.decision}` : 'UNDECIDED: upgrade, or record why not in dependencyDecisions'}`,
    );
  }
  none(r.behind);
  if (r.staleDecisions.length)
    console.log(
      `  (dependencyDecisions names ${r.staleDecisions.join(', ')}, no longer behind: remove the entry)`,
    );

  console.log(`\nDeclared but never used (${r.unused.length}):`);
  for (const n of r.unused) console.log(`  ${n}`);
  none(r.unused);

  console.log(`\nImported but not declared (${r.undeclared.size}):`);
  for (const [n, file] of r.undeclared) console.log(`  ${n.padEnd(width)}  first in ${file}`);
  none(r.undeclared);

  const undecided = r.behind.filter((b) => !b.decision);
  if (process.argv.includes('--strict') && (undecided.length || r.unused.length || r.undeclared.size))
    process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`deps:report failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
