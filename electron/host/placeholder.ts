/** Served when the renderer has not been built yet (npm run build:renderer-web). */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OpsDesk (host)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem;color:#1b1f24;background:#fff}@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#15181c}}code{background:#8882;padding:.1rem .3rem;border-radius:.2rem}</style>
</head>
<body>
<h1>OpsDesk host is running</h1>
<p>The renderer has not been built yet. Run <code>npm run build:renderer-web</code> and reload.</p>
<p id="status">Connecting to the desktop core…</p>
<script src="/__opsdesk/placeholder.js"></script>
</body>
</html>`;

export const PLACEHOLDER_JS = `(async () => {
  const el = document.getElementById('status');
  const info = await window.opsdesk.invoke('app.info');
  const session = await window.opsdesk.invoke('session.state');
  el.textContent = info.ok ? 'Core ' + info.value.version + ' over the ' + info.value.transport + ' bridge; session: ' + (session.ok ? session.value.status : session.error.message) : info.error.message;
  el.dataset.ready = 'true';
})();`;
