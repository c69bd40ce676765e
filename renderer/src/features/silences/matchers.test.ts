import { describe, expect, it } from 'vitest';
import { parseMatchers } from './SilenceDialogs';
import { matcherText } from './slice';

describe('silence matchers as text', () => {
  it('round-trip the four operators, one per line', () => {
    const matchers = [
      { name: 'alertname', value: 'Disk full', isRegex: false, isEqual: true },
      { name: 'host', value: 'web-1|web-2', isRegex: true, isEqual: true },
      { name: 'env', value: 'dev', isRegex: false, isEqual: false },
      { name: 'dc', value: 'fra.*', isRegex: true, isEqual: false },
    ];
    const text = matchers.map(matcherText).join('\n');
    expect(text).toBe('alertname="Disk full"\nhost=~"web-1|web-2"\nenv!="dev"\ndc!~"fra.*"');
    expect(parseMatchers(`${text}\n\n`)).toEqual({ matchers, error: null });
  });

  it('say which line is wrong, and that one matcher is needed', () => {
    expect(parseMatchers('host="a"\nnot a matcher').error).toMatch(/^line 2: write name="value"/);
    expect(parseMatchers('  \n').error).toBe('at least one matcher');
  });
});
