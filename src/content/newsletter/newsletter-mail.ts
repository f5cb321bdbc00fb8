/** Escapes text for HTML (mail bodies are built by hand, without the page templates). */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Site-relative links and images (`/book`) made absolute, since a mail has no site to be relative to. */
export function absolutizeLinks(html: string, publicUrl: string): string {
  return html.replace(
    /\b(href|src)="\/(?!\/)/g,
    (_m, attr: string) => `${attr}="${escapeHtml(publicUrl)}/`,
  );
}

/** A calm, simple HTML newsletter: the post's sanitised HTML between an escaped title and footer. */
export function newsletterHtml(
  title: string,
  sanitisedBodyHtml: string,
  postUrl: string,
  unsubscribeUrl: string,
  site: { name: string; tagline: string } = { name: 'Mend', tagline: '' },
): string {
  const signature = escapeHtml(site.tagline ? `${site.name} · ${site.tagline}` : site.name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#fbf7f2;color:#2b2724;font:17px/1.6 Georgia,serif">
<div style="max-width:36rem;margin:0 auto;padding:24px">
<h1 style="font-family:system-ui,sans-serif;font-size:26px;line-height:1.25">${escapeHtml(title)}</h1>
${sanitisedBodyHtml}
<p><a href="${escapeHtml(postUrl)}" style="color:#9a3f27">Read it on the site</a></p>
<hr style="border:0;border-top:1px solid #e6ddd2">
<p style="font-size:14px;color:#5c554e">${signature}. You get this because you subscribed to ${escapeHtml(site.name)}'s writing.
<a href="${escapeHtml(unsubscribeUrl)}" style="color:#5c554e">Unsubscribe with one click</a>.</p>
</div></body></html>`;
}
