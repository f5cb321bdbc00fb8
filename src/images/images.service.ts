import { Injectable } from '@nestjs/common';
import { pgCode } from '../database/pg-code';
import { DomainError, notFound } from '../common/errors';
import { ImageDto } from './dto/image.dto';
import { ImageType } from './image.entity';
import { ImageRow, ImagesRepository } from './images.repository';
import { EXTENSIONS, MIME_TYPES, processImage } from './processing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_BY_EXTENSION: Record<string, ImageType> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
};

/** Something else that uses images (a post body, say) answers what uses `imageId`, or null. */
export type ImageUsageCheck = (imageId: string) => Promise<string | null>;

/** What a page needs to show an image responsively: a fallback, a srcset per type, its size. */
export interface PictureView {
  id: string;
  src: string;
  width: number;
  height: number;
  alt: string;
  /** WebP first, then the original type (for <source>/srcset). */
  sources: { type: string; srcset: string }[];
  /** The smallest variant's URL (thumbnails, og:image fallbacks). */
  smallest: string;
  /** A variant about `w` wide in the original type (og:image, the author's photo). */
  near(w: number): { url: string; width: number; height: number };
}

export function imageUrl(id: string, width: number, type: ImageType): string {
  return `/images/${id}/${width}.${EXTENSIONS[type]}`;
}

function toDto(r: ImageRow): ImageDto {
  const full = r.variants.filter((v) => v.type === r.type).at(-1);
  return {
    id: r.id,
    url: imageUrl(r.id, full?.width ?? r.width, r.type),
    width: full?.width ?? r.width,
    height: full?.height ?? r.height,
    alt: r.alt,
    variants: r.variants.map((v) => ({
      width: v.width,
      type: MIME_TYPES[v.type],
      url: imageUrl(r.id, v.width, v.type),
    })),
  };
}

function toPicture(r: ImageRow, alt?: string | null): PictureView {
  const dto = toDto(r);
  const ofType = (t: ImageType) => r.variants.filter((v) => v.type === t);
  const types: ImageType[] = r.type === 'webp' ? ['webp'] : ['webp', r.type];
  const original = ofType(r.type);
  return {
    id: r.id,
    src: dto.url,
    width: dto.width,
    height: dto.height,
    alt: alt ?? r.alt,
    sources: types.map((t) => ({
      type: MIME_TYPES[t],
      srcset: ofType(t)
        .map((v) => `${imageUrl(r.id, v.width, t)} ${v.width}w`)
        .join(', '),
    })),
    smallest: imageUrl(r.id, original[0]?.width ?? r.width, r.type),
    near(w: number) {
      const pick = original.find((v) => v.width >= w) ??
        original.at(-1) ?? { width: r.width, height: r.height };
      return { url: imageUrl(r.id, pick.width, r.type), width: pick.width, height: pick.height };
    },
  };
}

@Injectable()
export class ImagesService {
  private readonly usageChecks: ImageUsageCheck[] = [];

  constructor(private readonly images: ImagesRepository) {}

  /** Other modules say what else may use an image (foreign keys with ON DELETE RESTRICT already cover covers and the site photo). */
  registerUsageCheck(check: ImageUsageCheck): void {
    this.usageChecks.push(check);
  }

  /** Decodes, checks, strips and re-encodes an upload, then stores it (all variants in one transaction). */
  async upload(file: unknown, alt: unknown): Promise<ImageDto> {
    if (!Buffer.isBuffer(file))
      throw new DomainError(
        'VALIDATION_FAILED',
        'Please choose a picture to upload (the form field is "file").',
        { file: ['file is required'] },
      );
    if (alt !== undefined && (typeof alt !== 'string' || alt.length > 300)) {
      throw new DomainError('VALIDATION_FAILED', 'Please check: alt.', {
        alt: ['alt must be at most 300 characters'],
      });
    }
    const processed = await processImage(file);
    const id = await this.images.insert(processed, typeof alt === 'string' ? alt.trim() : '');
    return this.byId(id);
  }

  async byId(id: string): Promise<ImageDto> {
    const [row] = UUID.test(id) ? await this.images.byIds([id]) : [];
    if (!row) throw notFound('The image');
    return toDto(row);
  }

  async list(limit = 100): Promise<ImageDto[]> {
    return (await this.images.newest(limit)).map(toDto);
  }

  /** Whether an id names a stored image (for forms that pick one). */
  async exists(id: string): Promise<boolean> {
    return UUID.test(id) && (await this.images.byIds([id])).length > 0;
  }

  /** Views for pages, keyed by id (unknown ids are left out). */
  async pictures(ids: (string | null | undefined)[]): Promise<Map<string, PictureView>> {
    const wanted = [...new Set(ids.filter((i): i is string => Boolean(i && UUID.test(i))))];
    const rows = await this.images.byIds(wanted);
    return new Map(rows.map((r) => [r.id, toPicture(r)]));
  }

  async picture(id: string | null | undefined): Promise<PictureView | null> {
    if (!id) return null;
    return (await this.pictures([id])).get(id) ?? null;
  }

  /** One variant's bytes for GET /images/:id/:file, or `notModified` when the caller's ETag matches. */
  async file(
    id: string,
    file: string,
    ifNoneMatch: string | undefined,
  ): Promise<{ etag: string; type: string; bytes: Buffer | null }> {
    const m = /^(\d{1,5})\.([a-z]{3,4})$/.exec(file);
    const type = m ? TYPE_BY_EXTENSION[m[2]] : undefined;
    if (!m || !type || !UUID.test(id)) throw notFound('The image');
    const known = ifNoneMatch?.split(',').map((s) => s.trim().replace(/^W\//, '')) ?? [];
    const first = await this.images.variant(id, Number(m[1]), type, known[0] ?? null);
    if (!first) throw notFound('The image');
    const notModified = known.includes(first.etag);
    return {
      etag: first.etag,
      type: MIME_TYPES[type],
      bytes: notModified
        ? null
        : (first.bytes ?? (await this.images.variant(id, Number(m[1]), type, null))!.bytes),
    };
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('The image');
    for (const check of this.usageChecks) {
      const user = await check(id);
      if (user) throw inUse(user);
    }
    try {
      if (!(await this.images.delete(id))) throw notFound('The image');
    } catch (e) {
      // 23001 restrict_violation / 23503 foreign_key_violation: a row elsewhere still points at it.
      const code = pgCode(e);
      if (code === '23001' || code === '23503') {
        throw inUse(
          /site_settings/.test((e as Error).message)
            ? 'the site (the coach’s photo)'
            : 'a post’s cover',
        );
      }
      throw e;
    }
  }
}

function inUse(user: string): DomainError {
  return new DomainError(
    'IMAGE_IN_USE',
    `This image is still used by ${user}. Remove it there first, then delete it.`,
  );
}
