import { create } from 'zustand';
import type { CreateProbeRequest, Probe } from '../../../../shared/api/probes';
import { ApiError, call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface ProbesState {
  probes: Loadable<Probe[]>;
}

export const useProbes = create<ProbesState>(() => ({ probes: notLoaded() }));

export const loadProbes = (opts = { fresh: false }) =>
  loadInto(useProbes, 'probes', () => call('api.probes.list'), opts);

/** Creates the probe, or changes the one with `id`; the list is reloaded. */
export async function saveProbe(id: string | null, body: CreateProbeRequest): Promise<Probe> {
  const saved = id
    ? await call('api.probes.update', { params: { id }, body })
    : await call('api.probes.create', { body });
  await loadProbes();
  return saved;
}

export async function deleteProbe(id: string): Promise<void> {
  await call('api.probes.delete', { params: { id } });
  await loadProbes();
}

export async function setPaused(id: string, paused: boolean): Promise<void> {
  await call(paused ? 'api.probes.pause' : 'api.probes.resume', { params: { id } });
  await loadProbes();
}

export async function checkNow(id: string): Promise<Probe> {
  const p = await call('api.probes.check', { params: { id } });
  await loadProbes();
  return p;
}

/** The server's validation errors by field (`body.target` → `target`), for inline display. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !Array.isArray(e.details)) return {};
  const out: Record<string, string> = {};
  for (const d of e.details as { field?: unknown; message?: unknown }[]) {
    if (typeof d.field !== 'string' || typeof d.message !== 'string') continue;
    const field = d.field.replace(/^body\./, '').split('.')[0]!;
    out[field] ??= d.message;
  }
  return out;
}

const DAY = 86_400_000;

/** Whole days until the certificate expires (negative once expired), or null without one. */
export function tlsDaysLeft(p: Pick<Probe, 'tlsExpiresAt'>, now = Date.now()): number | null {
  return p.tlsExpiresAt === null ? null : Math.floor((p.tlsExpiresAt - now) / DAY);
}

/** "Name: value" lines ↔ a header map. */
export function parseHeaders(text: string): { headers: Record<string, string>; error: string | null } {
  const headers: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { headers, error: `Line ${i + 1}: write headers as Name: value` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, error: null };
}

export const formatHeaders = (h: Record<string, string>) =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
