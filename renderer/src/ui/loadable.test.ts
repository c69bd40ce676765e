import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { loadInto, notLoaded, type Loadable } from './loadable';

const store = () => create<{ items: Loadable<number[]> }>(() => ({ items: notLoaded() }));

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('loadInto', () => {
  it('marks the field loading, then holds the answer', async () => {
    const s = store();
    const d = deferred<number[]>();
    const p = loadInto(s, 'items', () => d.promise);
    expect(s.getState().items).toEqual({ data: undefined, error: null, loading: true });
    d.resolve([1, 2]);
    await p;
    expect(s.getState().items).toEqual({ data: [1, 2], error: null, loading: false });
  });

  it('keeps the last data through a reload and its failure; fresh forgets it', async () => {
    const s = store();
    await loadInto(s, 'items', async () => [1]);
    await loadInto(s, 'items', () => Promise.reject(new Error('server down')));
    expect(s.getState().items).toEqual({ data: [1], error: 'server down', loading: false });
    const d = deferred<number[]>();
    const p = loadInto(s, 'items', () => d.promise, { fresh: true });
    expect(s.getState().items.data).toBeUndefined();
    d.resolve([2]);
    await p;
    expect(s.getState().items.data).toEqual([2]);
  });

  it('drops an answer that a later load overtook', async () => {
    const s = store();
    const slow = deferred<number[]>();
    const first = loadInto(s, 'items', () => slow.promise);
    await loadInto(s, 'items', async () => [2]);
    slow.resolve([1]);
    await first;
    expect(s.getState().items).toEqual({ data: [2], error: null, loading: false });
  });
});
