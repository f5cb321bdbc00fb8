import sharp from 'sharp';
import { acceptedType, MAX_STORED_WIDTH, processImage, variantWidths } from './processing';

describe('acceptedType', () => {
  it('takes the five web formats, recognising AVIF inside HEIF, and nothing else', () => {
    expect(['jpeg', 'png', 'webp', 'gif'].map((f) => acceptedType(f, undefined))).toEqual([
      'jpeg',
      'png',
      'webp',
      'gif',
    ]);
    expect(acceptedType('heif', 'av1')).toBe('avif');
    expect(acceptedType('heif', 'hevc')).toBeNull(); // HEIC photos: not for the web
    expect(acceptedType('svg', undefined)).toBeNull();
    expect(acceptedType('tiff', undefined)).toBeNull();
    expect(acceptedType(undefined, undefined)).toBeNull();
  });
});

describe('variantWidths', () => {
  it('never enlarges, always ends with the (capped) full size', () => {
    expect(variantWidths(300)).toEqual([300]);
    expect(variantWidths(1200)).toEqual([480, 960, 1200]);
    expect(variantWidths(1600)).toEqual([480, 960, 1600]);
    expect(variantWidths(6000)).toEqual([480, 960, 1600, MAX_STORED_WIDTH]);
  });
});

describe('processImage', () => {
  it('applies the EXIF orientation, then drops all metadata', async () => {
    // 40×20 pixels stored sideways (orientation 6: rotate 90° clockwise to view).
    const input = await sharp({
      create: { width: 40, height: 20, channels: 3, background: '#123456' },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const out = await processImage(input);
    expect(out).toMatchObject({ type: 'jpeg', width: 20, height: 40 });
    for (const v of out.variants) {
      const meta = await sharp(v.bytes).metadata();
      expect(meta.orientation).toBeUndefined();
      expect(meta.exif).toBeUndefined();
    }
  });

  it('keeps an AVIF an AVIF (plus WebP)', async () => {
    const input = await sharp({
      create: { width: 64, height: 32, channels: 3, background: '#abcdef' },
    })
      .avif({ effort: 0 })
      .toBuffer();
    const out = await processImage(input);
    expect(out.type).toBe('avif');
    expect(out.variants.map((v) => v.type).sort()).toEqual(['avif', 'webp']);
  });
});
