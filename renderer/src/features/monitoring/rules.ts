import { create } from 'zustand';
import type { CreateRuleRequest, Rule, RulePreview } from '../../../../shared/api/alerts';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

type History = Awaited<ReturnType<typeof loadHistoryOf>>;

interface RuleEditorState {
  preview: Loadable<RulePreview>;
  history: Loadable<History>;
}

export const useRuleEditor = create<RuleEditorState>(() => ({ preview: notLoaded(), history: notLoaded() }));

const loadHistoryOf = (id: string) => call('api.rules.history', { params: { id }, query: { limit: 20 } });

export const loadHistory = (id: string) => loadInto(useRuleEditor, 'history', () => loadHistoryOf(id), { fresh: true });

/** "Would fire now on: …" for the draft's condition. */
export const loadPreview = (draft: Pick<CreateRuleRequest, 'metric' | 'labels' | 'comparison' | 'warning' | 'critical' | 'aggregation' | 'groupBy'>) =>
  loadInto(useRuleEditor, 'preview', () => call('api.rules.preview', { body: draft }), { fresh: false });

export function resetRuleEditor(): void {
  useRuleEditor.setState({ preview: notLoaded(), history: notLoaded() });
}

/** Creates the rule, or changes the one with `id`. */
export function saveRule(id: string | null, body: CreateRuleRequest): Promise<Rule> {
  return id ? call('api.rules.update', { params: { id }, body }) : call('api.rules.create', { body });
}

/** `key=value` lines ↔ a label map (the rule's matchers and target scope). */
export function parseLabels(text: string): { labels: Record<string, string>; error: string | null } {
  const labels: Record<string, string> = {};
  for (const [i, raw] of text.split(/[\n,]/).entries()) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"?([^"]*)"?$/.exec(part);
    if (!m) return { labels, error: `Matcher ${i + 1}: write label=value, e.g. job=node` };
    labels[m[1]!] = m[2]!;
  }
  return { labels, error: null };
}

export const formatLabels = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
