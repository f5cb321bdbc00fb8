// Content budget from SPEC: a published post page (rendered HTML cached, with approved comments
// and a rating summary) at ≥ 50 % of /health's requests per second and p95 < 20 ms, 32 connections.
export const contentScenarios = [
  {
    name: 'a published post page',
    async run(ctx) {
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
      const url = `${ctx.base}/blog/${post.slug}`;
      const check = await fetch(url);
      if (!check.ok) throw new Error(`GET ${url} → ${check.status}`);
      const r = await ctx.load({ url, connections: 32, seconds: ctx.seconds });
      console.log(`  ${ctx.fmt(r)}`);
      const ratio = r.rps / ctx.health.rps;
      ctx.results.push({
        budget: 'post page: ≥ 50 % of /health req/s, p95 < 20 ms at 32 connections',
        ok: ratio >= 0.5 && r.p95 < 20 && r.errors === 0,
        detail: `${r.rps.toFixed(0)} req/s (${(ratio * 100).toFixed(0)} % of /health), p95 ${r.p95.toFixed(1)} ms`,
      });
    },
  },
];
