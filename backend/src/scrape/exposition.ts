/**
 * A parser of the Prometheus exposition formats: the text format 0.0.4 and OpenMetrics 1.0
 * (https://prometheus.io/docs/instrumenting/exposition_formats/, https://openmetrics.io). npm has
 * no maintained parser of both (parse-prometheus-text-format: text only, last release 2019), so
 * this one is written to the two specifications and tested against Debian's exporters' output.
 * A malformed line fails the whole scrape with its line number, as Prometheus does.
 */

export type ExpositionFormat = 'text' | 'openmetrics';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Epoch milliseconds when the exposition carries a timestamp, else null. */
  timestampMs: number | null;
}

export interface Exposition {
  format: ExpositionFormat;
  samples: ParsedSample[];
  /** Declared type per metric family (`# TYPE`). */
  types: Map<string, string>;
  help: Map<string, string>;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown']);

/** The format a response's Content-Type announces (text when absent or unknown). */
export function formatOf(contentType: string | undefined): ExpositionFormat {
  return contentType?.toLowerCase().startsWith('application/openmetrics-text') ? 'openmetrics' : 'text';
}

export function parseValue(raw: string): number {
  switch (raw) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  // Text format values are Go floats; OpenMetrics forbids the Go extras (hex, underscores), so both reject them here.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw new Error(`"${raw}" is not a number`);
  return Number(raw);
}

/** One line's scanner: position over the string, with the spec's escape rules. */
class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  done(): boolean {
    return this.pos >= this.s.length;
  }
  skipSpace(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }
  /** A run of non-space characters up to one of `stops`. */
  token(stops: string): string {
    const start = this.pos;
    while (this.pos < this.s.length && !stops.includes(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }
  quoted(): string {
    if (this.s[this.pos] !== '"') throw new Error('expected "');
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new Error('unterminated quoted string');
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === '\\' || e === '"') out += e;
      else throw new Error(`invalid escape \\${e ?? ''}`);
    }
  }
}

/** `{a="1",b="2"}` at the cursor; a quoted first entry without `=` is a UTF-8 metric name (Prometheus 3). */
function labelSet(c: Cursor, labels: Record<string, string>): string | null {
  c.pos++; // {
  let name: string | null = null;
  for (;;) {
    c.skipSpace();
    if (c.peek() === '}') {
      c.pos++;
      return name;
    }
    const quoted = c.peek() === '"';
    const key = quoted ? c.quoted() : c.token('= \t,}');
    if (!key) throw new Error('empty label name');
    c.skipSpace();
    if (c.peek() !== '=') {
      if (!quoted || name !== null || Object.keys(labels).length) throw new Error(`expected = after label name "${key}"`);
      name = key;
    } else {
      c.pos++;
      c.skipSpace();
      if (!quoted && !LABEL_NAME.test(key)) throw new Error(`invalid label name "${key}"`);
      if (key in labels) throw new Error(`duplicate label "${key}"`);
      labels[key] = c.quoted();
    }
    c.skipSpace();
    if (c.peek() === ',') c.pos++;
    else if (c.peek() !== '}') throw new Error('expected , or } in the label set');
  }
}

function sampleLine(line: string, format: ExpositionFormat): ParsedSample {
  const c = new Cursor(line);
  const labels: Record<string, string> = {};
  let name = c.token('{ \t');
  if (name && !METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
  if (c.peek() === '{') {
    const quotedName = labelSet(c, labels);
    if (quotedName !== null) {
      if (name) throw new Error('a metric name both before and inside the braces');
      name = quotedName;
    }
  }
  if (!name) throw new Error('missing metric name');
  if (c.peek() !== ' ' && c.peek() !== '\t') throw new Error('expected a space before the value');
  c.skipSpace();
  const value = parseValue(c.token(' \t'));
  c.skipSpace();
  let timestampMs: number | null = null;
  if (!c.done() && c.peek() !== '#') {
    const raw = c.token(' \t');
    const ts = Number(raw);
    if (!Number.isFinite(ts) || raw === '') throw new Error(`"${raw}" is not a timestamp`);
    if (format === 'text' && !/^-?\d+$/.test(raw)) throw new Error(`"${raw}" is not a millisecond timestamp`);
    timestampMs = format === 'openmetrics' ? Math.round(ts * 1000) : ts;
    c.skipSpace();
  }
  // OpenMetrics exemplars (` # {trace_id="…"} 1.0`) are accepted and not kept.
  if (!c.done() && !(format === 'openmetrics' && c.peek() === '#')) throw new Error(`unexpected "${line.slice(c.pos)}" after the value`);
  return { name, labels, value, timestampMs };
}

function unescapeHelp(s: string): string {
  return s.replace(/\\(n|\\)/g, (_, e: string) => (e === 'n' ? '\n' : '\\'));
}

/** Parses one scrape's body; throws ExpositionError on the first malformed line. */
export function parseExposition(body: string, format: ExpositionFormat): Exposition {
  const out: Exposition = { format, samples: [], types: new Map(), help: new Map() };
  const lines = body.split('\n');
  let eof = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (eof) {
      if (line !== '' || i !== lines.length - 1) throw new ExpositionError(i + 1, 'content after # EOF');
      continue;
    }
    try {
      if (line.trim() === '') continue;
      if (line.startsWith('#')) {
        if (format === 'openmetrics' && line === '# EOF') {
          eof = true;
          continue;
        }
        const m = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s(.*))?$/.exec(line);
        if (!m) continue; // a comment
        const [, kind, family, rest = ''] = m;
        if (kind === 'TYPE') {
          const type = rest.trim();
          if (!(format === 'text' ? TEXT_TYPES : OM_TYPES).has(type)) throw new Error(`unknown type "${type}" for ${family}`);
          if (out.types.has(family!)) throw new Error(`second TYPE line for ${family}`);
          out.types.set(family!, type);
        } else if (kind === 'HELP') out.help.set(family!, unescapeHelp(rest));
        continue;
      }
      out.samples.push(sampleLine(line, format));
    } catch (err) {
      if (err instanceof ExpositionError) throw err;
      throw new ExpositionError(i + 1, (err as Error).message);
    }
  }
  if (format === 'openmetrics' && !eof) throw new ExpositionError(lines.length, 'OpenMetrics exposition does not end with # EOF');
  return out;
}
