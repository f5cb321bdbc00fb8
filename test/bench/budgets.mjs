// SPEC's "Performance and scale budgets", judged from one run's results. ok: true (met), false
// (missed), null (not measured in this run).
export function evaluateBudgets({ scenarios, race, rssMB, ran }) {
  const by = (name) => scenarios.find((s) => s.name === name && s.rps !== null) ?? null;
  const out = [];
  const budget = (name, scenarioNames, test, detail) => {
    const rs = scenarioNames.map(by);
    if (!scenarioNames.some(ran)) return;
    if (rs.some((r) => r === null)) return out.push({ budget: name, ok: null, detail: 'not measured' });
    out.push({ budget: name, ok: test(...rs), detail: detail(...rs) });
  };
  const pct = (r) => `${Math.round((r.ratioToHealth ?? 0) * 100)} % of /health`;

  budget('slots for 7 days, 2 000 bookings: p95 < 25 ms at 32 connections', ['slots-7d'], (r) => r.p95 < 25 && r.errors === 0, (r) => `p95 ${r.p95} ms at ${Math.round(r.rps)} req/s, ${r.errors} errors`);
  budget('post page: ≥ 50 % of /health req/s, p95 < 20 ms at 32 connections', ['post-page'], (r) => r.ratioToHealth >= 0.5 && r.p95 < 20 && r.errors === 0, (r) => `${Math.round(r.rps)} req/s (${pct(r)}), p95 ${r.p95} ms`);
  budget('booking creation on distinct slots ≥ 500/s', ['book-distinct'], (r) => r.rps >= 500 && r.errors === 0, (r) => `${Math.round(r.rps)}/s, ${r.errors} not 201`);
  if (ran('race')) {
    for (const [label, r] of [['one instance', race], ['two instances', race?.twoInstances]]) {
      out.push(
        r
          ? { budget: `200 concurrent bookings of one slot (${label}): one 201, 199 × 409, no 5xx`, ok: r.created === 1 && r.conflicts === 199 && r.errors === 0, detail: `201×${r.created}, 409×${r.conflicts}, other×${r.errors}` }
          : { budget: `200 concurrent bookings of one slot (${label})`, ok: null, detail: 'not measured' },
      );
    }
  }
  out.push({ budget: 'app RSS < 250 MB under that load', ok: rssMB === null ? null : rssMB < 250, detail: `peak ${rssMB} MB` });
  budget('mail: 1 000 queued mails reach the SMTP catcher at ≥ 100/s', ['mail-drain'], (r) => r.rps >= 100 && r.errors === 0, (r) => `${Math.round(r.rps)} mails/s`);
  budget('mail: a booking confirmation arrives within 2 s (p95) during a 2 000-subscriber newsletter', ['mail-confirm-during-newsletter'], (r) => r.p95 < 2000 && r.errors === 0, (r) => `p95 ${r.p95} ms`);
  budget('an external calendar of 5 000 events (200 recurring) syncs in < 2 s', ['calendar-sync'], (r) => r.p95 < 2000 && r.errors === 0, (r) => `${r.p95} ms`);
  for (const name of ['home', 'blog-index', 'post-page']) {
    budget(`anonymous ${name}: ≥ 50 % of /health req/s`, [name], (r) => r.ratioToHealth >= 0.5 && r.errors === 0, (r) => `${Math.round(r.rps)} req/s (${pct(r)})`);
  }
  return out;
}
