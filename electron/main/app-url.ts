import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Kept apart from window.ts (which imports electron) so it is tested in plain Node on every OS's paths. */
export interface AppLocation {
  /** The dev server URL (electron-vite dev), or undefined when the built file is loaded. */
  devUrl: string | undefined;
  /** The built renderer's index.html. */
  rendererFile: string;
}

/**
 * Whether a frame URL is the app's own page: the dev server's origin, or a file inside the built
 * renderer's folder. File URLs are turned into paths of the OS they run on (`file:///C:/…` →
 * `C:\…` on Windows) and compared with path.relative, so neither a sibling folder with the same
 * prefix nor `..` gets in.
 */
export function isAppUrl(url: string, app: AppLocation, platform: NodeJS.Platform = process.platform): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed) return false;
  if (app.devUrl && URL.canParse(app.devUrl)) return parsed.origin === new URL(app.devUrl).origin && parsed.origin !== 'null';
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  const windows = platform === 'win32';
  const p = windows ? path.win32 : path.posix;
  const file = filePath(parsed, windows);
  if (file === null) return false;
  const rel = p.relative(p.dirname(app.rendererFile), file);
  return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel);
}

/** The path of a file URL, or null for one no path can come from (e.g. an encoded separator). */
function filePath(url: URL, windows: boolean): string | null {
  try {
    return fileURLToPath(url, { windows });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_INVALID_FILE_URL')) return null;
    throw err;
  }
}
