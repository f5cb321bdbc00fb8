/**
 * Rate limits count in fixed windows (aligned to the epoch). A test that must see several
 * requests in one window first waits until the current window has at least `needMs` left.
 */
export async function awayFromWindowEdge(windowMs: number, needMs = 8000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
