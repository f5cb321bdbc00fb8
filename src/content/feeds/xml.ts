/** Characters XML 1.0 does not allow at all (control characters other than tab, LF, CR). */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for an XML element or attribute value. */
export function escapeXml(value: string): string {
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface RssChannel {
  title: string;
  link: string;
  selfLink: string;
  description: string;
  language: string;
  items: RssItem[];
}

export interface RssItem {
  title: string;
  link: string;
  guid: string;
  description: string;
  /** Sanitised HTML of the whole post (escaped into content:encoded). */
  contentHtml: string;
  publishedAt: Date;
  categories: string[];
}

/** RSS 2.0, written by hand: every value goes through escapeXml. */
export function renderRss(channel: RssChannel): string {
  const lastBuild = channel.items[0]?.publishedAt ?? new Date(0);
  const items = channel.items
    .map((i) =>
      [
        '    <item>',
        `      <title>${escapeXml(i.title)}</title>`,
        `      <link>${escapeXml(i.link)}</link>`,
        `      <guid isPermaLink="false">${escapeXml(i.guid)}</guid>`,
        `      <pubDate>${i.publishedAt.toUTCString()}</pubDate>`,
        ...i.categories.map((c) => `      <category>${escapeXml(c)}</category>`),
        `      <description>${escapeXml(i.description)}</description>`,
        `      <content:encoded>${escapeXml(i.contentHtml)}</content:encoded>`,
        '    </item>',
      ].join('\n'),
    )
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '  <channel>',
    `    <title>${escapeXml(channel.title)}</title>`,
    `    <link>${escapeXml(channel.link)}</link>`,
    `    <atom:link href="${escapeXml(channel.selfLink)}" rel="self" type="application/rss+xml"/>`,
    `    <description>${escapeXml(channel.description)}</description>`,
    `    <language>${escapeXml(channel.language)}</language>`,
    `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    items,
    '  </channel>',
    '</rss>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
}

export function renderSitemap(urls: SitemapUrl[]): string {
  const body = urls
    .map(
      (u) =>
        `  <url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}
