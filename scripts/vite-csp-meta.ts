import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../shared/csp';

/**
 * Writes the renderer's CSP into the built index.html as a `<meta>` tag, first in `<head>`. Only on
 * build: the dev server injects inline scripts for hot reload, and gets the policy as a header.
 */
export function cspMeta(): Plugin {
  return {
    name: 'opsdesk-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace(/<head>/i, `<head>\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ meta: true })}" />`),
    },
  };
}
