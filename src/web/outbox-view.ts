/**
 * The outbox page's mails, with the links in their text made clickable. Only http(s) links
 * become anchors; the template escapes every piece (text and href), so a mail can't inject markup.
 */
export type MailPiece = { text: string } | { href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than the link: "see https://x.test/a." */
const TRAILING = /[.,;:!?)\]}]+$/;

export function linkPieces(text: string): MailPiece[] {
  const pieces: MailPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let href = match[0];
    const trailing = TRAILING.exec(href)?.[0] ?? '';
    href = href.slice(0, href.length - trailing.length);
    const start = match.index;
    if (start > last) pieces.push({ text: text.slice(last, start) });
    try {
      const url = new URL(href);
      if (url.protocol === 'http:' || url.protocol === 'https:') pieces.push({ href });
      else pieces.push({ text: href });
    } catch {
      pieces.push({ text: href });
    }
    last = start + href.length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}
