import { describe, expect, it } from 'vitest';
import { CSP_META_PATTERN, contentSecurityPolicy } from '../shared/csp';
import { cspMeta } from './vite-csp-meta';

describe('the renderer CSP meta tag', () => {
  it('goes first in <head> on build, without the header-only frame-ancestors', () => {
    const plugin = cspMeta();
    expect(plugin.apply).toBe('build');
    const hook = plugin.transformIndexHtml as { handler: (html: string) => string };
    const html = hook.handler('<!doctype html><html><head><title>OpsDesk</title></head><body></body></html>');
    const tag = CSP_META_PATTERN.exec(html)?.[0] ?? '';
    expect(html.indexOf(tag)).toBeLessThan(html.indexOf('<title>'));
    expect(tag).toBe(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ meta: true })}" />`);
    expect(tag).toContain("script-src 'self'");
    expect(tag).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy()).toContain("frame-ancestors 'none'");
  });
});
