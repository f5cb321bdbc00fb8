// Public pages (`post-page`, `blog-index`, `home`: anonymous, served from the public page cache)
// and a signed-in member's own program page (`my-program`: personal, never cached).
let prepared = null;
async function preparePost(ctx) {
  if (prepared) return prepared;
  const [post] = await ctx.sql(`SELECT id, slug FROM posts WHERE status = 'published' ORDER BY published_at DESC LIMIT 1`);
  if (!post) throw new Error('no published post (the demo seed makes two)');
  // A lived-in post: 30 approved comments, 200 ratings.
  await ctx.sql(
    `INSERT INTO comments (post_id, author_name, body, status, moderated_at)
     SELECT $1, 'Reader ' || g, 'Thank you for this. It helped me see the week differently. ' || g, 'approved', now()
     FROM generate_series(1, 30) AS g`,
    [post.id],
  );
  await ctx.sql(
    `WITH u AS (
       INSERT INTO users (email, name) SELECT 'rater' || g || '@bench.test', 'Rater ' || g FROM generate_series(1, 200) AS g
       ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id
     )
     INSERT INTO post_ratings (post_id, user_id, stars) SELECT $1, id, 1 + (abs(hashtext(id::text)) % 5) FROM u
     ON CONFLICT DO NOTHING`,
    [post.id],
  );
  prepared = post;
  return post;
}

async function page(ctx, name, path, headers = {}) {
  const url = `${ctx.base}${path}`;
  const check = await fetch(url, { headers });
  if (!check.ok) throw new Error(`GET ${url} → ${check.status}`);
  const r = await ctx.load({ url, connections: 32, headers });
  return { name, ...r };
}

export const contentScenarios = [
  {
    name: 'post-page',
    async run(ctx) {
      const post = await preparePost(ctx);
      return page(ctx, 'post-page', `/blog/${post.slug}`);
    },
  },
  {
    name: 'blog-index',
    async run(ctx) {
      await preparePost(ctx);
      return page(ctx, 'blog-index', '/blog');
    },
  },
  {
    name: 'home',
    async run(ctx) {
      await preparePost(ctx);
      return page(ctx, 'home', '/');
    },
  },
  {
    name: 'my-program',
    async run(ctx) {
      const email = 'member@bench.test';
      const { token } = await ctx.api('POST', '/api/auth/signup', { email, password: 'bench-member-password', name: 'Bench Member' });
      await ctx.api('POST', '/api/program/enrollments/grant', { email }, await ctx.coachToken());
      return page(ctx, 'my-program', '/program/steps', { cookie: `mend_session=${token}` });
    },
  },
];
