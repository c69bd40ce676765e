import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { log, setFollow, useJobConsole } from './slice';

const LINE = 18;

/** Rows of a fixed-height window over `count` lines: O(visible), whatever the total. */
export function logWindow(
  scrollTop: number,
  viewport: number,
  count: number,
  overscan = 20,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / LINE) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + viewport) / LINE) + overscan);
  return { first, last };
}

// Lines have one fixed height, so the window is computed directly from scrollTop. (A general
// virtualizer keeps per-item measurements and rebuilds them when the count grows, which costs
// O(lines) per frame at a million lines.)
export function LogView() {
  const count = useJobConsole((s) => s.visibleCount);
  const follow = useJobConsole((s) => s.follow);
  useJobConsole((s) => s.version);
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const frame = useRef(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow) return;
    el.scrollTop = el.scrollHeight;
  }, [count, follow]);
  useEffect(() => {
    // Following ignores scroll events (the tail sets them); leaving it starts from where the view is.
    const el = ref.current;
    if (el && !follow) setView({ top: el.scrollTop, height: el.clientHeight });
  }, [follow]);

  // While following, the window is the tail (the scroll position catches up in the layout effect).
  const top = follow ? Math.max(0, count * LINE - view.height) : view.top;
  // (Following, nothing lies below the tail and a few rows above it are enough: scrolling up leaves it.)
  const { first, last } = logWindow(top, view.height, count, follow ? 4 : 20);
  // While following, rows are keyed by their slot in the window, not by line: as the tail moves,
  // React rewrites the text of the same few dozen nodes instead of removing and creating them on
  // every frame, and only the window's offset moves. Scrolled back (reading, selecting to copy),
  // they are keyed by line, so a node keeps its line and a selection stays on the text it covers.
  const rows = [];
  for (let i = first; i <= last; i++) {
    const l = log.visibleAt(i);
    if (!l) continue;
    rows.push(
      <div key={follow ? i - first : `s${l.seq}`} className={`ln ${l.stream}`}>
        <span className="seq">{l.seq}</span>
        {l.line}
      </div>,
    );
  }
  return (
    <div
      className="log"
      ref={ref}
      tabIndex={0}
      role="log"
      aria-label="Job log"
      data-testid="job-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        if (useJobConsole.getState().follow) return;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setView({ top: el.scrollTop, height: el.clientHeight }));
      }}
      onWheel={(e) => {
        if (e.deltaY < 0 && useJobConsole.getState().follow) setFollow(false);
      }}
    >
      <div style={{ height: count * LINE, position: 'relative' }}>
        <div className="lines" style={{ transform: `translateY(${first * LINE}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
