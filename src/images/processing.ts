import { createHash } from 'node:crypto';
import type Sharp from 'sharp';
import { DomainError } from '../common/errors';
import { ImageType } from './image.entity';

/**
 * What an upload becomes. Rules:
 * - the bytes are recognised by decoding them (libvips), never by file name or Content-Type;
 *   JPEG, PNG, WebP, AVIF and GIF only (SVG and everything else: UNSUPPORTED_IMAGE);
 * - at most MAX_UPLOAD_BYTES (enforced while streaming) and MAX_PIXELS (checked on the header
 *   before any decoding, and again by libvips while decoding: decompression bombs);
 * - every output is re-encoded from the decoded pixels, so no metadata (EXIF, GPS, XMP, ICC
 *   comments) survives; the EXIF orientation is applied first so the picture stays upright;
 * - variants at VARIANT_WIDTHS narrower than the image, plus the image itself (at most
 *   MAX_STORED_WIDTH wide), each in WebP and in the original type.
 */
let loaded: typeof Sharp | null = null;

/**
 * sharp (libvips, ~20 MB of resident native code and data) is loaded on the first upload, not at
 * start-up: most instances serve pages and never process an image. libvips' operation cache only
 * helps repeated work on the same input; uploads never repeat, and the cache would hold up to 50 MB
 * per instance. One thread per encode keeps uploads from starving requests.
 */
function sharp(...args: Parameters<typeof Sharp>): Sharp.Sharp {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('sharp') as typeof Sharp;
    loaded.cache(false);
    loaded.concurrency(1);
  }
  return loaded(...args);
}

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_PIXELS = 40_000_000;
export const VARIANT_WIDTHS = [480, 960, 1600];
export const MAX_STORED_WIDTH = 2400;

export const EXTENSIONS: Record<ImageType, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
};
export const MIME_TYPES: Record<ImageType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

export interface ProcessedVariant {
  width: number;
  height: number;
  type: ImageType;
  bytes: Buffer;
  etag: string;
}

export interface ProcessedImage {
  type: ImageType;
  width: number;
  height: number;
  variants: ProcessedVariant[];
}

const unsupported = (): DomainError =>
  new DomainError(
    'UNSUPPORTED_IMAGE',
    'This file is not an image Mend can use. Please upload a JPEG, PNG, WebP, AVIF or GIF picture (SVG is not accepted).',
  );
const tooManyPixels = (): DomainError =>
  new DomainError(
    'IMAGE_TOO_LARGE',
    `This picture is too large: at most ${MAX_PIXELS / 1_000_000} megapixels, please. Save a smaller copy and upload that.`,
  );

/** The type an image decodes as, or null when it is not one we accept. */
export function acceptedType(
  format: string | undefined,
  compression: string | undefined,
): ImageType | null {
  if (format === 'jpeg' || format === 'png' || format === 'webp' || format === 'gif') return format;
  if (format === 'heif' && compression === 'av1') return 'avif';
  return null;
}

/** The widths to store for an image `width` pixels wide (ascending, the full size last). */
export function variantWidths(width: number): number[] {
  const full = Math.min(width, MAX_STORED_WIDTH);
  return [...VARIANT_WIDTHS.filter((w) => w < full), full];
}

export function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

export async function processImage(input: Buffer): Promise<ProcessedImage> {
  if (input.length === 0) throw unsupported();
  const options = { limitInputPixels: MAX_PIXELS, failOn: 'error' as const, animated: false };
  let meta: Sharp.Metadata;
  try {
    meta = await sharp(input, options).metadata();
  } catch (e) {
    if (e instanceof Error && /pixel limit/i.test(e.message)) throw tooManyPixels();
    throw unsupported();
  }
  const type = acceptedType(meta.format, meta.compression);
  if (!type || !meta.width || !meta.height) throw unsupported();
  if (meta.width * meta.height > MAX_PIXELS) throw tooManyPixels();

  // Every variant is decoded and re-encoded from the upload by libvips (streaming, with JPEG/WebP
  // shrink-on-load), never copied: only pixels survive. Upright first, then the size.
  const upright = sharp(input, options).rotate();
  const swap = (meta.orientation ?? 1) >= 5; // orientations 5–8 turn the picture a quarter
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  const variants: ProcessedVariant[] = [];
  try {
    for (const w of variantWidths(width)) {
      for (const t of type === 'webp' ? (['webp'] as const) : (['webp', type] as const)) {
        const { data, info } = await encode(
          upright.clone().resize({ width: w, withoutEnlargement: true }),
          t,
        ).toBuffer({ resolveWithObject: true });
        variants.push({
          width: info.width,
          height: info.height,
          type: t,
          bytes: data,
          etag: etagOf(data),
        });
      }
    }
  } catch (e) {
    if (e instanceof Error && /pixel limit/i.test(e.message)) throw tooManyPixels();
    throw unsupported(); // truncated or corrupt data that only fails when decoded in full
  }
  return { type, width, height, variants };
}

function encode(pipeline: Sharp.Sharp, type: ImageType): Sharp.Sharp {
  switch (type) {
    case 'webp':
      return pipeline.webp({ quality: 80 });
    case 'jpeg':
      return pipeline.jpeg({ quality: 82, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9 });
    case 'avif':
      return pipeline.avif({ quality: 55, effort: 2 });
    case 'gif':
      return pipeline.gif();
  }
}
