// The bare references of the UI bench, run in the same page as the app (strings, so the bundler's
// helpers do not leak into the page):
//  - queue: the same first page read through the same bridge (`tickets.list`, offset 0, 200 rows),
//    then as many rows as the app shows built with plain DOM calls (the app's row classes, so the
//    same CSS and layout), measured to the next animation frame;
//  - job console: a plain listener for the same `jobs.log` events that keeps the lines in an array
//    and writes the visible tail into one <pre> once per animation frame.
import type { Page } from 'playwright-core';

/** Milliseconds from the invoke to the frame after the bare rows are in the document. */
export async function bareQueuePaint(page: Page, rows: number): Promise<number> {
  return page.evaluate(`(async () => {
    const start = performance.now();
    const r = await window.opsdesk.invoke('tickets.list', { filter: {}, sort: { field: 'updatedAt', dir: 'desc' }, offset: 0, limit: 200 });
    if (!r.ok) throw new Error('tickets.list: ' + r.error.message);
    const body = document.createElement('div');
    body.className = 'grid-body';
    body.style.cssText = 'position:fixed;inset:0;z-index:9999';
    const inner = document.createElement('div');
    inner.style.cssText = 'position:relative;height:' + r.value.total * 36 + 'px';
    for (const [i, t] of r.value.items.slice(0, ${rows}).entries()) {
      const row = document.createElement('div');
      row.className = 'grid-row';
      row.style.transform = 'translateY(' + i * 36 + 'px)';
      for (const text of ['', t.priority, '#' + t.number, t.subject, t.requester, t.status, t.assigneeId ?? 'Unassigned', t.slaState, String(t.updatedAt)]) {
        const cell = document.createElement('div');
        cell.textContent = text;
        row.appendChild(cell);
      }
      inner.appendChild(row);
    }
    body.appendChild(inner);
    document.body.appendChild(body);
    await new Promise((done) => requestAnimationFrame(() => done()));
    const ms = performance.now() - start;
    body.remove();
    return ms;
  })()`);
}

/** Installs the bare console for `jobId`; the frame and long-task counters are the bench's (window.__*). */
export async function installBareConsole(page: Page, jobId: string): Promise<void> {
  await page.evaluate(`(() => {
    const pre = document.createElement('pre');
    pre.style.cssText = 'position:fixed;inset:0;z-index:9999;margin:0;overflow:hidden;background:#0d1117;color:#d7dde5;font:12.5px/18px monospace';
    pre.dataset.testid = 'bare-log';
    document.body.appendChild(pre);
    const lines = [];
    let frame = 0;
    window.__bareCount = 0;
    const off = window.opsdesk.on('jobs.log', (p) => {
      if (p.jobId !== '${jobId}') return;
      for (const l of p.lines) lines.push(l);
      window.__bareCount = lines.length;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const tail = lines.slice(-Math.ceil(pre.clientHeight / 18));
        pre.textContent = tail.map((l) => l.seq + '  ' + l.line).join('\\n');
      });
    });
    window.__bareStop = () => {
      off();
      cancelAnimationFrame(frame);
      lines.length = 0;
      pre.remove();
    };
  })()`);
}

/**
 * Records, per page load (ms since navigation, in window.__bridgeTimes): when the bridge sent its
 * first invoke, when `tickets.list` was sent and answered, and `painted`: the first animation frame
 * whose DOM holds the queue's rows and its total of `total` tickets, taken after that frame (a task
 * queued from its rAF callback runs once the frame is produced). Measured in the page, so the
 * bench process's own round trips to the browser do not count.
 */
export async function recordBridgeTimes(page: Page, total: number): Promise<void> {
  await page.addInitScript(`(() => {
    const times = (window.__bridgeTimes = {});
    const want = ${JSON.stringify(`${total.toLocaleString()} tickets`)};
    const poll = () => {
      const ready = document.querySelector('[data-testid="ticket-total"]')?.textContent === want && document.querySelector('.grid-row[data-number]');
      if (ready) setTimeout(() => (times.painted = performance.now()), 0);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
    const sent = new Map();
    const Socket = window.WebSocket;
    window.WebSocket = class extends Socket {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (m) => {
          const at = performance.now();
          if (!sent.size) return;
          const msg = JSON.parse(m.data);
          if (msg.type === 'result' && sent.get(msg.id) === 'tickets.list' && times.listAnswered === undefined) times.listAnswered = at;
        });
      }
      send(text) {
        const msg = JSON.parse(text);
        if (times.firstInvoke === undefined) times.firstInvoke = performance.now();
        if (msg.channel === 'tickets.list' && times.listSent === undefined) times.listSent = performance.now();
        sent.set(msg.id, msg.channel);
        super.send(text);
      }
    };
  })()`);
}
