import { describe, expect, it } from 'vitest';
import { compileMatcher } from './matchers';

const m = (value: string, patch: Partial<{ isEqual: boolean }> = {}) => ({ name: 'instance', value, isRegex: true, isEqual: true, ...patch });

describe('silence matchers (RE2 semantics, as Alertmanager)', () => {
  it('match the whole label value', () => {
    const web = compileMatcher(m('web-[0-9]+'));
    expect(web({ instance: 'web-12' })).toBe(true);
    expect(web({ instance: 'xweb-12' })).toBe(false);
    expect(web({ instance: 'web-12x' })).toBe(false);
    expect(compileMatcher(m('web-.*', { isEqual: false }))({ instance: 'db-1' })).toBe(true);
    expect(compileMatcher(m('a|b'))({ instance: 'b' })).toBe(true);
  });

  it('a catastrophic-backtracking pattern runs in linear time', () => {
    const evil = compileMatcher(m('(a+)+b'));
    const started = performance.now();
    expect(evil({ instance: `${'a'.repeat(5000)}!` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('refuses what RE2 does not have (backreferences, lookaround) with a clear message', () => {
    expect(() => compileMatcher(m('(a)\\1'))).toThrow(/matcher instance: invalid regular expression/);
    expect(() => compileMatcher(m('(?=web)web'))).toThrow(/invalid regular expression/);
    expect(() => compileMatcher(m('(unclosed'))).toThrow(/invalid regular expression/);
  });
});
