// Generates the app, tray and notification icons as PNGs (no image tools needed):
//   npx tsx build/generate-icons.ts
// A rounded blue square with a white ring and a dot: "ops desk" at a glance, legible at 16 px.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Anti-aliased by 4×4 supersampling. */
function icon(size: number, mono = false): Buffer {
  const bg: [number, number, number] = mono ? [0, 0, 0] : [37, 99, 235];
  const sample = (u: number, v: number): [number, number, number, number] => {
    const r = 0.22;
    const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
    const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
    if (!mono && Math.hypot(dx, dy) > r) return [0, 0, 0, 0];
    const d = Math.hypot(u - 0.5, v - 0.5);
    const ring = d > 0.24 && d < 0.34;
    const dot = d < 0.1;
    if (ring || dot) return mono ? [0, 0, 0, 255] : [255, 255, 255, 255];
    return mono ? [0, 0, 0, 0] : [...bg, 255];
  };
  return png(size, (x, y) => {
    const acc = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const p = sample((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size);
        for (let k = 0; k < 4; k++) acc[k]! += p[k]! * (k === 3 ? 1 : p[3]! / 255);
      }
    const a = acc[3]! / 16;
    return a === 0 ? [0, 0, 0, 0] : [Math.round(acc[0]! / 16 / (a / 255)), Math.round(acc[1]! / 16 / (a / 255)), Math.round(acc[2]! / 16 / (a / 255)), Math.round(a)];
  });
}

const out: [string, Buffer][] = [
  ['build/icon.png', icon(512)],
  ['resources/icon.png', icon(256)],
  ['resources/notification.png', icon(128)],
  ['resources/tray.png', icon(32)],
  ['resources/trayTemplate.png', icon(32, true)],
  ['resources/trayTemplate@2x.png', icon(64, true)],
];
for (const [file, data] of out) writeFileSync(path.join(root, file), data);
process.stdout.write(`wrote ${out.map(([f]) => f).join(', ')}\n`);
