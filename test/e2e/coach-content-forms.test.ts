import { signup, startWithCoach, TestApp } from '../support/app';
import { getAs, submitAs, summaryLinks } from '../support/forms';

/**
 * The post editor and the members pages through the one form helper: a refused form comes back
 * with the input kept, a summary at the top (role=alert, focused) linking to each field, and
 * plain words beside each field; success says what happened and links to it; the pages offer
 * only what the rules allow (refund, opening a step), decided outside the templates.
 */
describe('Coach content and members forms: plain errors, input kept, success that links', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    ({ t, coach } = await startWithCoach());
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (path: string, form: string, fields: Record<string, string>, status: number) =>
    submitAs(t, coach, path, form, fields, status);
  const page = async (path: string) => (await getAs(t, coach, path)).text;

  it('refuses a bad post with a summary in the form’s order, plain words and every field kept', async () => {
    const res = await send(
      '/coach/posts',
      '/coach/posts/new',
      {
        title: '',
        slug: 'Not A Slug',
        excerpt: 'Kept excerpt',
        body: 'A body with <b>markup</b> kept',
        tags: 'ok, bad!tag',
      },
      400,
    );
    expect(res.text).toContain('data-error-summary');
    expect(res.text).toContain('autofocus');
    expect(summaryLinks(res.text)).toEqual([
      ['#title', 'Give the post a title (at most 200 characters).'],
      [
        '#slug',
        'The address may hold only lower-case letters, digits and single dashes (at most 120 characters), such as repair-over-perfection.',
      ],
      [
        '#tags',
        'Use at most 10 tags, separated by commas, each under 40 characters of letters, digits, spaces and dashes.',
      ],
    ]);
    // No validator text leaks to the coach.
    expect(res.text).not.toContain('must be');
    expect(res.text).not.toContain('slug may hold');
    expect(res.text).toContain('id="title-error"');
    expect(res.text).toMatch(/id="slug"[^>]*value="Not A Slug"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('>Kept excerpt</textarea>');
    expect(res.text).toContain('A body with &lt;b&gt;markup&lt;/b&gt; kept</textarea>');
    expect(res.text).toContain('value="ok, bad!tag"');
    expect(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM posts WHERE excerpt = 'Kept excerpt'`,
        )
      )[0].n,
    ).toBe(0);
  });

  it('puts a taken slug on the slug field and keeps the rest', async () => {
    const res = await send(
      '/coach/posts',
      '/coach/posts/new',
      { title: 'A copy', slug: 'repair-over-perfection', body: 'Copy body' },
      409,
    );
    const links = summaryLinks(res.text);
    expect(links).toHaveLength(1);
    expect(links[0][0]).toBe('#slug');
    expect(links[0][1]).toContain('Another post already uses this slug');
    expect(res.text).toContain('Copy body</textarea>');
  });

  it('a saved draft says so and links to its preview; publishing links to the post', async () => {
    const created = await send(
      '/coach/posts',
      '/coach/posts/new',
      { title: 'Quiet hours', body: 'Hello.' },
      303,
    );
    const editor = created.headers.location as string;
    expect(editor).toMatch(/^\/coach\/posts\/[0-9a-f-]{36}\?saved=1$/);
    expect(await page(editor)).toMatch(
      /<p class="notice" role="status">Draft saved\. Only you can see it until you publish it\. <a href="\/blog\/quiet-hours">See it as readers will<\/a><\/p>/,
    );
    const id = editor.split('/')[3].split('?')[0];
    const published = await send(`/coach/posts/${id}/publish`, `/coach/posts/${id}`, {}, 303);
    expect(await page(published.headers.location)).toContain(
      'Published. <a href="/blog/quiet-hours">View the post</a>',
    );
  });

  it('refuses a schedule without a time on the time field, as an attacker sending junk', async () => {
    const created = await t
      .http()
      .post('/api/posts')
      .set('authorization', `Bearer ${coach}`)
      .send({ title: 'Later', body: 'x' })
      .expect(201);
    const id = created.body.id as string;
    for (const publishAt of ['someday', '2026-13-45T99:99', '<script>']) {
      const res = await send(
        `/coach/posts/${id}/publish`,
        `/coach/posts/${id}`,
        { publishAt },
        400,
      );
      expect(summaryLinks(res.text)).toEqual([
        ['#publishAt', 'Please give a date and a time to publish at.'],
      ]);
      expect(res.text).not.toContain('<script>');
    }
    const after = await t.http().get(`/api/posts/${id}`).set('authorization', `Bearer ${coach}`);
    expect(after.body).toMatchObject({ status: 'draft', publishAt: null });
  });

  it('members: a bad email is refused beside the field; steps offered are the program’s; refund only for a paid member', async () => {
    const bad = await send(
      '/coach/members/grant',
      '/coach/members',
      { email: 'not-an-email' },
      400,
    );
    expect(summaryLinks(bad.text)).toEqual([
      ['#grant-email', 'Please enter a valid email address.'],
    ]);
    expect(bad.text).toMatch(/id="grant-email"[^>]*value="not-an-email"/);

    await signup(t, 'granted@example.com', 'Gail', 'granted-password-1');
    const granted = await send(
      '/coach/members/grant',
      '/coach/members',
      { email: 'granted@example.com' },
      303,
    );
    expect(granted.headers.location).toBe('/coach/members?notice=granted');
    const list = await page('/coach/members?notice=granted');
    expect(list).toContain('Enrolled. They have a welcome mail');
    const [row] = await t.dataSource.query(
      `SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = 'granted@example.com'`,
    );
    const options = [
      ...new RegExp(`<select id="step-${row.id}"[^>]*>(.*?)</select>`)
        .exec(list)![1]
        .matchAll(/<option value="(\d+)">/g),
    ].map((m) => Number(m[1]));
    expect(options).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    // An out-of-range step is refused beside that member's picker.
    const refused = await send(
      `/coach/members/${row.id}/unlock`,
      '/coach/members',
      { step: '13' },
      400,
    );
    expect(summaryLinks(refused.text)).toEqual([
      [`#step-${row.id}`, 'Choose a step between 1 and 12.'],
    ]);

    // A granted (unpaid) member has no refund form; a forged refund is refused by the service.
    const member = await page(`/coach/members/${row.id}`);
    expect(member).not.toContain('/refund"');
    const forged = await send(
      `/coach/members/${row.id}/refund`,
      `/coach/members/${row.id}`,
      { confirm: 'yes' },
      409,
    );
    expect(forged.text).toContain('data-error-summary');
    const unconfirmed = await send(
      `/coach/members/${row.id}/refund`,
      `/coach/members/${row.id}`,
      {},
      400,
    );
    expect(summaryLinks(unconfirmed.text)).toEqual([
      ['#refund-confirm', 'Please tick the box to confirm the refund.'],
    ]);
    const [still] = await t.dataSource.query(`SELECT status FROM enrollments WHERE id = $1`, [
      row.id,
    ]);
    expect(still.status).toBe('active');
  });
});
