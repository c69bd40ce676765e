import { builtinModules } from 'node:module';

/** The parts of a package.json the report reads. */
export interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  /** Why a dependency stays behind its latest major, by name (ours, not npm's). */
  dependencyDecisions?: Record<string, string>;
}

export interface DepsInput {
  project: Manifest;
  /** Latest version on the registry, by declared name. */
  latest: Map<string, string>;
  /** Source and config files by path (not package.json or the lockfile). */
  code: Map<string, string>;
  /** Command text: package.json scripts, shell scripts, CI. */
  commands: string;
  /** The installed manifest of a declared package, when node_modules has it. */
  installed: (name: string) => Manifest | null;
}

export interface DepsReport {
  declared: Record<string, string>;
  behind: { name: string; declared: string; latest: string; decision: string | null }[];
  /** Decisions recorded for packages that are no longer behind. */
  staleDecisions: string[];
  /** Why each used package counts as used. */
  used: Map<string, string>;
  unused: string[];
  /** Bare imports of packages nothing declares, with the first file that has one. */
  undeclared: Map<string, string>;
}

const IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](@?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)['"]/g;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const major = (v: string) => Number(/(\d+)/.exec(v)?.[1] ?? NaN);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const packageOf = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

function binNames(m: Manifest | null, name: string): string[] {
  if (!m?.bin) return [];
  return typeof m.bin === 'string' ? [name.split('/').pop()!] : Object.keys(m.bin);
}

/** `@types/foo__bar` → `@foo/bar`, `@types/pg` → `pg`; null for anything else. */
function typesFor(name: string): string | null {
  return name.startsWith('@types/') ? name.slice(7).replace(/^(.+)__(.+)$/, '@$1/$2') : null;
}

export function analyseDeps({ project, latest, code, commands, installed }: DepsInput): DepsReport {
  const declared = { ...project.dependencies, ...project.devDependencies };
  const names = Object.keys(declared).sort();

  const imported = new Set<string>();
  const undeclared = new Map<string, string>();
  for (const [file, text] of code) {
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (builtins.has(spec)) continue;
      const name = packageOf(spec);
      imported.add(name);
      if (!(name in declared) && !undeclared.has(name)) undeclared.set(name, file);
    }
  }
  const allCode = [...code.values()].join('\n');
  const everything = commands + '\n' + allCode;
  const named = (name: string) =>
    allCode.includes(`'${name}'`) ||
    allCode.includes(`"${name}"`) ||
    allCode.includes(`@vitest-environment ${name}`);
  const runAsCommand = (name: string) =>
    binNames(installed(name), name).some((bin) =>
      new RegExp(`(^|[\\s'"\`/(])${escape(bin)}([\\s'"\`)]|$)`, 'm').test(everything),
    );

  const used = new Map<string, string>();
  for (const name of names) {
    if (imported.has(name)) used.set(name, 'imported');
    else if (runAsCommand(name)) used.set(name, 'run as a command');
    else if (named(name)) used.set(name, 'named in code or config');
  }
  // Types of a used package (or of Node itself), and peers a used package needs: until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const name of names) {
      if (used.has(name)) continue;
      const typed = typesFor(name);
      const needer = names.find((other) => {
        const m = used.has(other) ? installed(other) : null;
        return m?.peerDependencies?.[name] !== undefined && !m.peerDependenciesMeta?.[name]?.optional;
      });
      if (typed && (typed === 'node' || used.has(typed))) used.set(name, `types of ${typed}`);
      else if (needer) used.set(name, `peer of ${needer}`);
      else continue;
      changed = true;
    }
  }

  const decisions = project.dependencyDecisions ?? {};
  const behind = names
    .filter((n) => latest.has(n) && major(latest.get(n)!) > major(declared[n]!))
    .map((name) => ({
      name,
      declared: declared[name]!,
      latest: latest.get(name)!,
      decision: decisions[name] ?? null,
    }));
  return {
    declared,
    behind,
    staleDecisions: Object.keys(decisions).filter((n) => !behind.some((b) => b.name === n)),
    used,
    unused: names.filter((n) => !used.has(n)),
    undeclared,
  };
}
