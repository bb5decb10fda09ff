// Draws images/icon.png, the extension's 128×128 Marketplace icon: a gold key struck through in
// red on the dark square of the gallery banner ("keyless"). No image library is installed, so the
// shapes are tested per sample point and the PNG is written with node's zlib. Run it again after
// changing a shape: `node images/make-icon.mjs`. The same code gives the same pixels every time.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
/** Samples per pixel along each axis: 4 × 4 gives smooth edges without an anti-aliasing library. */
const SAMPLES = 4;

const BACKGROUND = [0x1b, 0x27, 0x33]; // the galleryBanner colour in package.json
const KEY = [0xf2, 0xc1, 0x4e];
const STRIKE = [0xe5, 0x48, 0x4d];

// Each shape answers "is the point (x, y) inside?", in pixel units with the origin top left.
const roundedSquare = (radius) => (x, y) => {
  const dx = Math.max(radius - x, 0, x - (SIZE - radius));
  const dy = Math.max(radius - y, 0, y - (SIZE - radius));
  return dx * dx + dy * dy <= radius * radius;
};
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= outer && d >= inner;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
/** A thick line with round ends: points within `width / 2` of the segment (x0, y0)–(x1, y1). */
const capsule = (x0, y0, x1, y1, width) => (x, y) => {
  const vx = x1 - x0;
  const vy = y1 - y0;
  const t = Math.min(1, Math.max(0, ((x - x0) * vx + (y - y0) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (x0 + t * vx), y - (y0 + t * vy)) <= width / 2;
};
const union = (...shapes) => (x, y) => shapes.some((inside) => inside(x, y));

const key = union(
  ring(42, 60, 23, 10), // the bow, with its hole
  rect(62, 54, 110, 66), // the shaft
  rect(88, 66, 97, 82), // the teeth
  rect(101, 66, 110, 77),
);
const STRIKE_FROM = [24, 104];
const STRIKE_TO = [104, 24];

/**
 * Layers from the bottom up. The gap is a wider band of the background colour under the strike,
 * so the red line reads as drawn over the key rather than merged with it.
 */
const layers = [
  { colour: BACKGROUND, inside: roundedSquare(26) },
  { colour: KEY, inside: key },
  { colour: BACKGROUND, inside: capsule(...STRIKE_FROM, ...STRIKE_TO, 22) },
  { colour: STRIKE, inside: capsule(...STRIKE_FROM, ...STRIKE_TO, 11) },
];

/** Premultiplied RGBA of one pixel: each layer covers the share of sample points inside it. */
function pixel(px, py) {
  let [r, g, b, a] = [0, 0, 0, 0];
  for (const { colour, inside } of layers) {
    let hits = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        if (inside(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
      }
    }
    const cover = hits / (SAMPLES * SAMPLES);
    // "Over" compositing; every layer but the first sits inside the first, so the alpha is the
    // background square's coverage.
    r = colour[0] * cover + r * (1 - cover);
    g = colour[1] * cover + g * (1 - cover);
    b = colour[2] * cover + b * (1 - cover);
    a = cover + a * (1 - cover);
  }
  // Back from premultiplied to straight alpha, as PNG stores it.
  return a === 0 ? [0, 0, 0, 0] : [r / a, g / a, b / a, a * 255].map((v) => Math.round(v));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

// Each scanline starts with its filter type: 0, none.
const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // colour type: RGBA
// Bytes 10–12 stay 0: deflate compression, adaptive filtering, no interlace.

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'icon.png'), png);
