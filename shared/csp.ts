/**
 * The renderer's Content Security Policy: no remote code, no inline scripts, no eval. One source for
 * the `<meta>` tag the build writes into index.html (it applies to `file://` loads, which response
 * headers never reach), the header on the Electron dev server, and the browser host's header (which
 * adds its bridge socket).
 */
export function contentSecurityPolicy(options: { connect?: readonly string[]; meta?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...(options.connect ?? [])].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ];
  // Browsers ignore frame-ancestors in a <meta> policy (and warn about it): it is a header-only directive.
  return directives.filter((d) => !(options.meta && d.startsWith('frame-ancestors'))).join('; ');
}

/** The meta tag the renderer build writes into index.html. */
export const CSP_META_PATTERN = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i;
