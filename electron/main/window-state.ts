import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { screen } from 'electron';

interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1400, height: 900 }, maximized: false };

/** Remembers the window's bounds in userData/window-state.json, and ignores them when that display is gone. */
export function loadWindowState(userData: string): WindowState {
  const file = path.join(userData, 'window-state.json');
  try {
    if (!existsSync(file)) return { ...DEFAULT, bounds: centered(DEFAULT.bounds) };
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    const visible = screen.getAllDisplays().some((d) => intersects(d.workArea, s.bounds));
    return visible ? s : { ...s, bounds: centered(s.bounds) };
  } catch {
    return { ...DEFAULT, bounds: centered(DEFAULT.bounds) };
  }
}

export function trackWindowState(win: BrowserWindow, userData: string): void {
  const file = path.join(userData, 'window-state.json');
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.isMaximized() ? win.getNormalBounds() : win.getBounds(), maximized: win.isMaximized() };
    writeFileSync(file, JSON.stringify(state));
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}

function centered(b: Rectangle): Rectangle {
  const area = screen.getPrimaryDisplay().workArea;
  const width = Math.min(b.width, area.width);
  const height = Math.min(b.height, area.height);
  return { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height };
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
