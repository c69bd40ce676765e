import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export type InboundFlag = 'malformed' | 'oversized' | 'auto';

/** One received message, reduced to what the helpdesk needs. */
export interface InboundMessage {
  /** Without angle brackets; `sha256:<hex>` of the raw message when it has none. */
  messageId: string;
  /** In-Reply-To then References, nearest first, without angle brackets. */
  threadIds: string[];
  from: { name: string; email: string } | null;
  cc: string[];
  subject: string;
  text: string;
  /** Sanitized: no scripts, event handlers, styles, forms or remote images. */
  html: string | null;
  flags: InboundFlag[];
  /** Why it is an auto-reply, bounce or list mail (no acknowledgement, never reopens). */
  autoReason: string | null;
  /** Kept when the MIME could not be parsed. */
  raw: string | null;
  size: number;
  /** The files it carried (checked and stored by the inbound processor). */
  attachments: { filename: string; data: Buffer }[];
}

const MAX_TEXT = 20_000;
const MAX_RAW_KEPT = 1_000_000;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'hr'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

const stripAngles = (id: string) => id.trim().replace(/^<|>$/g, '').trim();
export const idList = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? [v] : []).flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [s.trim()] : [])).map(stripAngles).filter(Boolean);

function addresses(v: AddressObject | AddressObject[] | undefined): { name: string; email: string }[] {
  return (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((a) => a.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a): a is { name: string; address: string } => typeof a.address === 'string' && a.address.includes('@'))
    .map((a) => ({ name: a.name ?? '', email: a.address.toLowerCase() }));
}

const headerText = (v: HeaderValue | undefined): string => (typeof v === 'string' ? v : v && typeof v === 'object' && 'value' in v ? String(v.value) : '');

/** RFC 3834 Auto-Submitted, the common X- headers, list and bulk mail, and delivery reports (RFC 3464). */
export function autoReason(headers: Map<string, HeaderValue>, from: string | null): string | null {
  const auto = headerText(headers.get('auto-submitted')).toLowerCase();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress']) if (headers.has(h)) return h;
  const precedence = headerText(headers.get('precedence')).toLowerCase();
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'list mail';
  const type = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase() === 'multipart/report') return `delivery report (${type.params?.['report-type'] ?? 'report'})`;
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return 'bounce';
  return null;
}

/** A multipart type without a boundary, or whose boundary never appears: mailparser would guess; we keep it raw instead. */
function mimeDefect(raw: Buffer): string | null {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  if (split < 0) return 'no blank line between header and body';
  const head = text.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const type = /^content-type:\s*([^;\r\n]+)(.*)$/im.exec(head);
  if (type && /^multipart\//i.test(type[1]!.trim())) {
    const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(type[2] ?? '')?.[1];
    if (!boundary) return 'multipart without a boundary';
    if (!text.includes(`--${boundary}`, split)) return `boundary "${boundary}" never appears in the body`;
  }
  return null;
}

/** Parses a received message. Never throws: what cannot be parsed comes back flagged malformed with its raw text. */
export async function parseInbound(raw: Buffer, options: { maxBytes: number; ownAddresses?: string[]; size?: number }): Promise<InboundMessage> {
  const hash = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const size = options.size ?? raw.length;
  const oversized = size > options.maxBytes;
  // An oversized message is read for its headers only.
  const source = oversized ? headerPart(raw) : raw;
  const defect = oversized ? null : mimeDefect(raw);
  let parsed;
  try {
    parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: options.maxBytes });
  } catch (err) {
    return malformed(raw, hash, `could not be parsed: ${(err as Error).message}`);
  }
  const from = addresses(parsed.from)[0] ?? null;
  const own = new Set((options.ownAddresses ?? []).map((a) => a.toLowerCase()));
  const cc = [...addresses(parsed.to), ...addresses(parsed.cc)].map((a) => a.email).filter((e) => !own.has(e) && e !== from?.email);
  const reason = autoReason(parsed.headers, from?.email ?? null);
  const flags: InboundFlag[] = [];
  if (reason) flags.push('auto');
  if (oversized) flags.push('oversized');
  if (defect) flags.push('malformed');
  let text = oversized ? '' : (parsed.text ?? '').trim();
  if (defect) text = `The MIME structure of this message is broken (${defect}); it is kept raw below.\n\n${raw.toString('utf8').slice(0, MAX_TEXT)}`;
  if (oversized) text = `This message was refused: it is ${formatBytes(size)}, larger than the mailbox limit of ${formatBytes(options.maxBytes)}. Ask the sender to send smaller files or a link.`;
  return {
    messageId: parsed.messageId ? stripAngles(parsed.messageId) : hash,
    threadIds: [...idList(parsed.inReplyTo), ...idList(parsed.references).reverse()].filter((v, i, a) => a.indexOf(v) === i),
    from,
    cc: [...new Set(cc)],
    subject: (parsed.subject ?? '').trim(),
    text: text.slice(0, MAX_TEXT),
    html: !oversized && !defect && parsed.html ? sanitizeMailHtml(parsed.html) : null,
    flags,
    autoReason: reason,
    raw: defect ? raw.toString('latin1').slice(0, MAX_RAW_KEPT) : null,
    size,
    attachments: oversized || defect ? [] : parsed.attachments.map((a, i) => ({ filename: safeFilename(a.filename, i), data: a.content })),
  };
}

/** A sender's file name without paths or control characters; `attachment-N` when it has none. */
export function safeFilename(name: string | undefined, i: number): string {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/\p{Cc}/gu, '').trim().slice(0, 200);
  return base || `attachment-${i + 1}`;
}

function malformed(raw: Buffer, hash: string, why: string): InboundMessage {
  const head = raw.toString('latin1');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head.slice(0, 64 * 1024))?.[1]?.trim() ?? '';
  const email = /[^\s<>"]+@[^\s<>"]+/.exec(header('from'))?.[0]?.toLowerCase() ?? null;
  return {
    messageId: stripAngles(header('message-id')) || hash,
    threadIds: idList(header('in-reply-to')),
    from: email ? { name: '', email } : null,
    cc: [],
    subject: header('subject'),
    text: `This message ${why}; it is kept raw below.\n\n${raw.toString('utf8').slice(0, MAX_TEXT)}`,
    html: null,
    flags: ['malformed'],
    autoReason: null,
    raw: raw.toString('latin1').slice(0, MAX_RAW_KEPT),
    size: raw.length,
    attachments: [],
  };
}

function headerPart(raw: Buffer): Buffer {
  const limit = Math.min(raw.length, 256 * 1024);
  const text = raw.subarray(0, limit).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return Buffer.from(`${end < 0 ? text : text.slice(0, end)}\r\n\r\n`, 'latin1');
}

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);
