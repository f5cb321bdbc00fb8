import sharp from 'sharp';
import { pageForm, signup, startWithCoach, TestApp } from '../support/app';

/** Uploads as an attacker would send them: lies in names and headers, bombs, scripts, no session. */
describe('Images', () => {
  let t: TestApp;
  let coach: string;
  let reader: string;

  beforeAll(async () => {
    ({ t, coach } = await startWithCoach({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    reader = await signup(t, 'images-reader@example.com', 'Reader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM images`))[0].n;
  const jpeg = (width = 1200, height = 800): Promise<Buffer> =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 80 } } })
      .jpeg()
      .toBuffer();

  it('stores a JPEG as WebP and JPEG variants, served with ETag, immutable caching and 304s', async () => {
    const res = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', await jpeg(), 'cover.jpg')
      .field('alt', 'A pale line drawing of a path')
      .expect(201);
    const image = res.body as {
      id: string;
      url: string;
      width: number;
      height: number;
      alt: string;
      variants: { width: number; type: string; url: string }[];
    };
    expect(image).toMatchObject({
      width: 1200,
      height: 800,
      alt: 'A pale line drawing of a path',
      url: `/images/${image.id}/1200.jpg`,
    });
    expect(image.variants.map((v) => `${v.width} ${v.type}`)).toEqual([
      '480 image/jpeg',
      '480 image/webp',
      '960 image/jpeg',
      '960 image/webp',
      '1200 image/jpeg',
      '1200 image/webp',
    ]);

    const webp = await t
      .http()
      .get(`/images/${image.id}/960.webp`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(webp.headers['content-type']).toBe('image/webp');
    expect(webp.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(webp.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 960, height: 640 });
    const etag = webp.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    await t.http().get(`/images/${image.id}/960.webp`).set('if-none-match', etag).expect(304);
    await t.http().get(`/images/${image.id}/961.webp`).expect(404);
    await t.http().get(`/images/${image.id}/960.svg`).expect(404);
    await t.http().get(`/images/not-a-uuid/960.webp`).expect(404);
  });

  it('serves a JPEG that carried GPS coordinates without any of its metadata', async () => {
    const withGps = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#336699' },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'SecretCam', Copyright: 'Private person' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '51/1 30/1 0/1',
          GPSLongitudeRef: 'W',
          GPSLongitude: '0/1 7/1 0/1',
        },
      })
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    expect(withGps.includes(Buffer.from('SecretCam'))).toBe(true);
    const res = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', withGps, 'holiday.jpg')
      .expect(201);
    for (const v of (res.body as { variants: { url: string }[] }).variants) {
      const served = await t
        .http()
        .get(v.url)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const bytes = served.body as Buffer;
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes(Buffer.from('SecretCam'))).toBe(false);
      expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
      expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    }
  });

  it('refuses what is not an accepted image, clearly, and stores nothing', async () => {
    const before = await count();
    const text = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', Buffer.from('just some words, not a picture'), {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
      })
      .expect(415);
    expect(text.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_IMAGE' });
    expect(text.body.message).toMatch(/JPEG, PNG, WebP, AVIF or GIF/);

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>',
    );
    const svgRes = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', svg, { filename: 'cover.png', contentType: 'image/png' })
      .expect(415);
    expect(svgRes.body.code).toBe('UNSUPPORTED_IMAGE');

    // A real PNG header (IHDR) claiming 50 000 × 50 000 pixels: refused before decoding.
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    bomb.writeUInt32BE(50_000, 16);
    bomb.writeUInt32BE(50_000, 20);
    const bombRes = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', bomb, 'bomb.png')
      .expect(413);
    expect(bombRes.body).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(bombRes.body.message).toMatch(/megapixels/);

    // A real JPEG header with half its data missing: it only fails once decoded.
    const full = await sharp({
      create: {
        width: 800,
        height: 600,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    const cut = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', full.subarray(0, full.length >> 1), 'cut.jpg')
      .expect(415);
    expect(cut.body.code).toBe('UNSUPPORTED_IMAGE');

    const huge = Buffer.alloc(30 * 1024 * 1024, 1);
    const hugeRes = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', huge, 'huge.jpg');
    expect(hugeRes.status).toBe(413);
    expect(hugeRes.body.message).toMatch(/10 MB/);

    await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .field('alt', 'no file')
      .expect(400);
    expect(await count()).toBe(before);
  });

  it('takes uploads only from the coach: no token, a reader, or a page form without its CSRF token are refused', async () => {
    const before = await count();
    const file = await jpeg(100, 100);
    await t.http().post('/api/images').attach('file', file, 'a.jpg').expect(401);
    await t
      .http()
      .post('/api/images')
      .auth(reader, { type: 'bearer' })
      .attach('file', file, 'a.jpg')
      .expect(403);
    // The page form needs the coach's session cookie and the CSRF token.
    const { cookie, csrf } = await pageForm(t, '/coach/images', coach);
    await t
      .http()
      .post('/coach/images')
      .set('cookie', cookie)
      .attach('file', file, 'a.jpg')
      .expect(403);
    const noSession = await pageForm(t, '/login');
    await t
      .http()
      .post('/coach/images')
      .set('cookie', noSession.cookie)
      .field('_csrf', noSession.csrf)
      .attach('file', file, 'a.jpg')
      .expect(401);
    expect(await count()).toBe(before);
    // …and with both, it works (as the form without JavaScript sends it).
    const ok = await t
      .http()
      .post('/coach/images')
      .set('cookie', cookie)
      .field('_csrf', csrf)
      .field('alt', 'Tiny')
      .attach('file', file, 'a.jpg')
      .expect(303);
    expect(ok.headers.location).toMatch(/^\/coach\/images\?uploaded=/);
    expect(await count()).toBe(before + 1);
    // The editor's drag and drop asks for JSON, and gets the reason as JSON too.
    const json = await t
      .http()
      .post('/coach/images')
      .set('cookie', cookie)
      .set('accept', 'application/json')
      .field('_csrf', csrf)
      .attach('file', file, 'b.jpg')
      .expect(201);
    expect(json.body.url).toMatch(/^\/images\//);
    const bad = await t
      .http()
      .post('/coach/images')
      .set('cookie', cookie)
      .set('accept', 'application/json')
      .field('_csrf', csrf)
      .attach('file', Buffer.from('<svg/>'), 'c.jpg')
      .expect(415);
    expect(bad.body.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('documents the upload as multipart/form-data in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const content = doc.paths['/api/images'].post.requestBody.content;
    expect(Object.keys(content)).toEqual(['multipart/form-data']);
    expect(doc.paths['/api/site'].put).toBeDefined();
  });

  it('answers 415 to a multipart body sent to a route that takes JSON', async () => {
    const res = await t
      .http()
      .post('/api/posts')
      .auth(coach, { type: 'bearer' })
      .field('title', 'x')
      .field('body', 'y')
      .expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('will not delete an image the site uses (409 IMAGE_IN_USE), and deletes it once unused', async () => {
    const up = await t
      .http()
      .post('/api/images')
      .auth(coach, { type: 'bearer' })
      .attach('file', await jpeg(300, 300), 'me.jpg')
      .expect(201);
    const id = (up.body as { id: string }).id;
    const site = (await t.http().get('/api/site').expect(200)).body;
    await t
      .http()
      .put('/api/site')
      .auth(coach, { type: 'bearer' })
      .send({ ...withoutReadOnly(site), photoImageId: id })
      .expect(200);
    const refused = await t
      .http()
      .delete(`/api/images/${id}`)
      .auth(coach, { type: 'bearer' })
      .expect(409);
    expect(refused.body.code).toBe('IMAGE_IN_USE');
    await t
      .http()
      .put('/api/site')
      .auth(coach, { type: 'bearer' })
      .send({ ...withoutReadOnly(site), photoImageId: null })
      .expect(200);
    await t.http().delete(`/api/images/${id}`).auth(coach, { type: 'bearer' }).expect(204);
    await t.http().get(up.body.url).expect(404);
  });
});

function withoutReadOnly(site: Record<string, unknown>): Record<string, unknown> {
  const { photoUrl: _photoUrl, ...rest } = site;
  return rest;
}
