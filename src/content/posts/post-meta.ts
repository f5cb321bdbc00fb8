import { plainText } from '../../common/markdown';

/** Minutes to read, at about 220 words a minute (never less than one). */
export function readingMinutes(html: string): number {
  const words = plainText(html).split(' ').filter(Boolean).length;
  return Math.max(1, Math.round(words / 220));
}

/**
 * JSON for a `<script type="application/ld+json">` block. `<`, `>` and `&` are written as
 * \u escapes (still the same JSON), so no text in it — `</script>`, `<!--` — can end the block.
 * U+2028/2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface BlogPostingInput {
  url: string;
  title: string;
  description: string;
  publishedAt: string | null;
  updatedAt: string;
  tags: string[];
  image: string | null;
  authorName: string;
  authorUrl: string;
  publisherName: string;
  publisherUrl: string;
}

/** The schema.org BlogPosting a post page carries (as JSON-LD). */
export function blogPosting(p: BlogPostingInput): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: p.title,
    description: p.description,
    url: p.url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': p.url },
    ...(p.publishedAt ? { datePublished: p.publishedAt } : {}),
    dateModified: p.updatedAt,
    ...(p.tags.length ? { keywords: p.tags.join(', ') } : {}),
    ...(p.image ? { image: [p.image] } : {}),
    author: { '@type': 'Person', name: p.authorName, url: p.authorUrl },
    publisher: { '@type': 'Organization', name: p.publisherName, url: p.publisherUrl },
  };
}
