/**
 * The script the host injects into the page: defines `window.opsdesk` with the same shape as the
 * Electron preload (invoke → IpcResult, on → unsubscribe), over a WebSocket that carries the
 * per-run secret. Plain ES2020 so it runs before any bundle. Popups become Web Notifications.
 */
export const BRIDGE_CLIENT_JS = String.raw`(() => {
  'use strict';
  if (window.opsdesk) return;
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('opsdesk.bridgeToken', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
  const token = fromUrl || sessionStorage.getItem('opsdesk.bridgeToken') || '';
  const listeners = new Map();
  const pending = new Map();
  const queue = [];
  let ws = null;
  let nextId = 1;
  let retry = 0;
  const shown = [];
  window.__opsdeskNotifications = shown;

  function deliver(event, payload) {
    const set = listeners.get(event);
    if (set) for (const fn of Array.from(set)) { try { fn(payload); } catch (e) { console.error(e); } }
  }

  function showNotification(n) {
    shown.push(n);
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      const popup = new Notification(n.title, { body: n.body, tag: n.id, requireInteraction: n.severity === 'critical', silent: !n.sound });
      popup.onclick = () => { window.focus(); api.invoke('notifications.clicked', { notificationId: n.id }); popup.close(); };
    } catch (e) { /* some browsers only allow notifications from a service worker */ }
  }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__opsdesk/bridge?token=' + encodeURIComponent(token);
    ws = new WebSocket(url);
    ws.onopen = () => { retry = 0; while (queue.length) ws.send(queue.shift()); deliver('bridge.state', 'open'); };
    ws.onmessage = (m) => {
      let msg; try { msg = JSON.parse(m.data); } catch { return; }
      if (msg.type === 'result') { const p = pending.get(msg.id); if (p) { pending.delete(msg.id); p(msg.result); } }
      else if (msg.type === 'event') { if (msg.event === 'notification.shown') showNotification(msg.payload); deliver(msg.event, msg.payload); }
      else if (msg.type === 'error') console.error('OpsDesk bridge: ' + msg.message);
    };
    ws.onclose = (e) => {
      for (const [id, resolve] of pending) { pending.delete(id); resolve({ ok: false, error: { code: 'internal', message: 'The connection to the OpsDesk host was lost' } }); }
      deliver('bridge.state', 'closed');
      if (e.code === 4401 || e.code === 1008) { console.error('OpsDesk host refused the bridge: open the URL the host printed'); return; }
      setTimeout(connect, Math.min(500 * 2 ** retry++, 10000));
    };
  }

  const api = {
    invoke(channel, payload) {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        const text = JSON.stringify({ type: 'invoke', id, channel, payload });
        if (ws && ws.readyState === 1) ws.send(text); else queue.push(text);
      });
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => listeners.get(event).delete(listener);
    },
  };
  Object.defineProperty(window, 'opsdesk', { value: Object.freeze(api), writable: false, configurable: false });
  document.addEventListener('click', () => { if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission(); }, { once: true });
  connect();
})();`;
