import { useState } from 'react';
import type { Attachment, AttachmentUpload } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { formatBytes } from '../../lib/format';
import { toast } from '../../ui/toasts';

/** The server's per-file limit (ATTACHMENT_MAX_BYTES at most); the server checks again and says why. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 10;

/** Files of a ticket or comment: metadata from the cache, content fetched when saved. */
export function AttachmentList({ items }: { items: Attachment[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  if (!items.length) return null;
  const save = async (a: Attachment) => {
    setBusy(a.id);
    try {
      const saved = await call('attachments.save', { id: a.id, filename: a.filename });
      toast(`Saved ${a.filename} to ${saved.path}`, 'ok');
    } catch (err) {
      toast(`Could not save ${a.filename}: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <ul className="attachments" aria-label="Attachments">
      {items.map((a) => (
        <li key={a.id} className="attachment" data-testid="attachment">
          <span className="name">{a.filename}</span>{' '}
          <span className="muted small">
            {formatBytes(a.size)}
            {!a.pending && ` · ${a.contentType}`}
          </span>{' '}
          {a.pending ? (
            <span className="pending-mark">waiting to sync</span>
          ) : (
            <button type="button" className="ghost small" disabled={busy === a.id} onClick={() => void save(a)} aria-label={`Save ${a.filename}`}>
              Save
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The decoded size of base64 text. */
export const base64Bytes = (b64: string) => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** Picks files for a ticket or reply; refuses too large or too many at once, with the reason. */
export function FilePicker({ files, onChange, id }: { files: AttachmentUpload[]; onChange: (files: AttachmentUpload[]) => void; id: string }) {
  const [error, setError] = useState<string | null>(null);
  const add = async (list: FileList | null) => {
    setError(null);
    const picked = [...(list ?? [])];
    const tooBig = picked.filter((f) => f.size > MAX_FILE_BYTES);
    if (tooBig.length) setError(`${tooBig.map((f) => f.name).join(', ')}: larger than ${formatBytes(MAX_FILE_BYTES)}`);
    const ok = picked.filter((f) => f.size <= MAX_FILE_BYTES).slice(0, Math.max(0, MAX_FILES - files.length));
    if (files.length + picked.length - tooBig.length > MAX_FILES) setError(`At most ${MAX_FILES} files at once`);
    try {
      onChange([...files, ...(await Promise.all(ok.map(async (f) => ({ filename: f.name, data: await readBase64(f) }))))]);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <div className="file-picker">
      <label className="inline" htmlFor={id}>
        <span className="button-like small">Attach files…</span>
      </label>
      <input id={id} type="file" multiple className="sr-only" onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
      {files.map((f, i) => (
        <span key={`${f.filename}-${i}`} className="chip" data-testid="picked-file">
          {f.filename} <span className="muted small">{formatBytes(base64Bytes(f.data))}</span>
          <button type="button" className="ghost small" aria-label={`Remove ${f.filename}`} onClick={() => onChange(files.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      {error && (
        <span className="sev-high small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * An emailed comment's HTML, already sanitized by the server (sanitize-html), shown in a sandboxed
 * frame without scripts, forms, plugins or same-origin access; text is the default.
 */
export function MailHtml({ html, text }: { html: string; text: string }) {
  const [asHtml, setAsHtml] = useState(false);
  return (
    <div className="mail-html">
      {asHtml ? (
        <iframe title="Email as HTML" sandbox="" srcDoc={`<!doctype html><meta charset="utf-8"><base target="_blank"><style>body{font:14px system-ui;margin:8px;color:#222;background:#fff}</style>${html}`} className="mail-frame" />
      ) : (
        <div className="body">{text}</div>
      )}
      <button type="button" className="ghost small" onClick={() => setAsHtml(!asHtml)} aria-pressed={asHtml}>
        {asHtml ? 'Show as text' : 'Show as HTML'}
      </button>
    </div>
  );
}
