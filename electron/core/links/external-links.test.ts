import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports';
import { tmpDir } from '../test-support/fixtures';
import { decideLink, openLink, TrustedLinkHosts, type LinkOpenerPorts } from './external-links';

function ports(answers: { open: boolean; always: boolean }[], trusted = new Set<string>()) {
  const opened: string[] = [];
  const asked: string[] = [];
  const p: LinkOpenerPorts = {
    trusted: (h) => trusted.has(h),
    confirm: async (host) => {
      asked.push(host);
      return answers.shift() ?? { open: false, always: false };
    },
    trust: (h) => trusted.add(h),
    open: async (url) => void opened.push(url),
  };
  return { p, opened, asked, trusted };
}

describe('external links', () => {
  it('opens only http(s) and mailto; other schemes are refused', () => {
    const yes = () => true;
    expect(decideLink('https://docs.example.com/runbook', yes)).toEqual({ action: 'open', url: 'https://docs.example.com/runbook' });
    expect(decideLink('mailto:ops@example.com', () => false)).toMatchObject({ action: 'open' });
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://fileserver/share', 'ms-settings:', 'opsdesk://alerts/1/ack', 'not a link']) {
      expect(decideLink(bad, yes).action).toBe('refuse');
    }
  });

  it('asks before an unknown host, remembers "always", and never remembers a link with credentials', async () => {
    const s = ports([{ open: false, always: false }, { open: true, always: true }, { open: true, always: true }]);
    expect(await openLink('https://Phish.example/login', s.p)).toBe('cancelled');
    expect(s.opened).toEqual([]);
    expect(await openLink('https://phish.example/login', s.p)).toBe('opened');
    expect(await openLink('https://phish.example/other', s.p)).toBe('opened');
    expect(s.asked).toEqual(['phish.example', 'phish.example']);
    expect(await openLink('https://user:pw@grafana.example/', s.p)).toBe('opened');
    expect(s.trusted.has('grafana.example')).toBe(false);
    expect(await openLink('file:///etc/passwd', s.p)).toBe('refused');
    expect(s.opened).toEqual(['https://phish.example/login', 'https://phish.example/other', 'https://user:pw@grafana.example/']);
  });

  it('keeps trusted hosts in a file, reads a damaged one as empty, and trusts the built-in hosts', () => {
    const file = path.join(tmpDir(), 'trusted-link-hosts.json');
    const a = new TrustedLinkHosts(file, silentLogger, () => ['ops.example.com']);
    expect(a.has('OPS.example.com')).toBe(true);
    expect(a.has('wiki.example.com')).toBe(false);
    a.add('Wiki.Example.com');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(['wiki.example.com']);
    expect(new TrustedLinkHosts(file, silentLogger).has('wiki.example.com')).toBe(true);
    writeFileSync(file, '{oops');
    expect(new TrustedLinkHosts(file, silentLogger).has('wiki.example.com')).toBe(false);
  });
});
