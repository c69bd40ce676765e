import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cspMeta } from '../scripts/vite-csp-meta';

// The browser-host build of the renderer: the host serves out/renderer-web on 127.0.0.1.
// (node:url is off limits under renderer/ by the lint rules; URL is a global.)
const path = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname);
const root = path('.');

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: path('../out/renderer-web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
});
