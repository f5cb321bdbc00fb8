import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, LookupFunction } from 'node:net';

/**
 * Fetches a calendar feed the coach subscribed to, defensively: http(s) only, a deadline, a size
 * limit, a conditional GET, at most 3 redirects (each checked again), and — unless allowed — no
 * request to loopback, private or link-local addresses. The address is checked where the socket
 * connects (a custom DNS lookup), so a name that resolves to an inside address, or re-resolves to
 * one after a check (DNS rebinding), is refused too. Errors are in plain words for the coach.
 */

export interface FetchOptions {
  allowPrivateHosts: boolean;
  timeoutMs: number;
  maxBytes: number;
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | { status: 'not_modified' }
  | { status: 'ok'; body: string; etag: string | null; lastModified: string | null };

export class FeedFetchError extends Error {}

const inside = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  inside.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  inside.addSubnet(net, prefix, 'ipv6');

/** Loopback, private, link-local, shared, multicast or unspecified (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return inside.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return inside.check(address, 'ipv4');
  if (family === 6) return inside.check(address, 'ipv6');
  return true;
}

const INTERNAL = 'its address is inside a private network, which Mend does not fetch from';

/** A DNS lookup that refuses internal addresses: runs when the socket connects. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const list = addresses;
    const bad = list.find((a) => isInternalAddress(a.address));
    if (bad || !list.length) return callback(new FeedFetchError(INTERNAL), '', 0);
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    return callback(null, list[0].address, list[0].family);
  });
};

export function checkFeedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FeedFetchError('the address is not a valid URL');
  }
  if (url.protocol === 'webcal:') url = new URL(`https:${url.href.slice('webcal:'.length)}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FeedFetchError('the address must start with http:// or https:// (or webcal://)');
  if (url.username || url.password)
    throw new FeedFetchError('the address must not contain a user name or password');
  return url;
}

export async function fetchFeed(raw: string, o: FetchOptions): Promise<FetchResult> {
  let url = checkFeedUrl(raw);
  const deadline = Date.now() + o.timeoutMs;
  for (let hop = 0; hop <= 3; hop++) {
    const answer = await requestOnce(url, o, deadline);
    if ('redirect' in answer) {
      url = checkFeedUrl(new URL(answer.redirect, url).href);
      continue;
    }
    return answer;
  }
  throw new FeedFetchError('the address redirects too many times');
}

function requestOnce(
  url: URL,
  o: FetchOptions,
  deadline: number,
): Promise<FetchResult | { redirect: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!o.allowPrivateHosts && isIP(host) && isInternalAddress(host))
    return Promise.reject(new FeedFetchError(INTERNAL));
  const headers: Record<string, string> = {
    accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1',
    'user-agent': 'Mend calendar sync',
  };
  if (o.etag) headers['if-none-match'] = o.etag;
  if (o.lastModified) headers['if-modified-since'] = o.lastModified;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      return reject(
        new FeedFetchError(
          `the calendar did not answer within ${Math.round(o.timeoutMs / 1000)} seconds`,
        ),
      );
    const req = lib.get(
      url,
      { headers, lookup: o.allowPrivateHosts ? undefined : guardedLookup, agent: false },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304 && res.headers.location) {
          res.resume();
          return resolve({ redirect: res.headers.location });
        }
        if (status === 304) {
          res.resume();
          return resolve({ status: 'not_modified' });
        }
        if (status === 404 || status === 410) {
          res.resume();
          return reject(
            new FeedFetchError(
              `the calendar was not found at this address (HTTP ${status}); it may have been unshared or the link reset`,
            ),
          );
        }
        if (status === 401 || status === 403) {
          res.resume();
          return reject(
            new FeedFetchError(
              `the calendar refused access (HTTP ${status}); check the address is the secret iCal link`,
            ),
          );
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(
            new FeedFetchError(`the calendar's server answered with an error (HTTP ${status})`),
          );
        }
        const type = String(res.headers['content-type'] ?? '').toLowerCase();
        if (type.includes('text/html')) {
          res.resume();
          return reject(
            new FeedFetchError(
              'the address gives a web page, not a calendar feed; use the iCal (.ics) link',
            ),
          );
        }
        const length = Number(res.headers['content-length'] ?? 0);
        if (length > o.maxBytes) {
          res.destroy();
          return reject(tooBig(o.maxBytes));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxBytes) {
            res.destroy();
            req.destroy();
            reject(tooBig(o.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () =>
          reject(new FeedFetchError('the connection broke while reading the calendar')),
        );
        res.on('end', () => {
          if (size > o.maxBytes) return;
          resolve({
            status: 'ok',
            body: Buffer.concat(chunks).toString('utf8'),
            etag: typeof res.headers.etag === 'string' ? res.headers.etag : null,
            lastModified:
              typeof res.headers['last-modified'] === 'string'
                ? res.headers['last-modified']
                : null,
          });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(
        new FeedFetchError(
          `the calendar did not answer within ${Math.round(o.timeoutMs / 1000)} seconds`,
        ),
      );
    }, remaining);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof FeedFetchError) return reject(e);
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        return reject(new FeedFetchError(`the host ${url.hostname} could not be found`));
      if (e.code === 'ECONNREFUSED')
        return reject(new FeedFetchError(`the host ${url.hostname} refused the connection`));
      if (e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT'))
        return reject(
          new FeedFetchError('the secure connection to the calendar failed (certificate problem)'),
        );
      reject(new FeedFetchError('the calendar could not be reached'));
    });
  });
}

function tooBig(max: number): FeedFetchError {
  return new FeedFetchError(
    `the calendar is larger than ${Math.round(max / 1024 / 1024)} MB, which Mend does not read`,
  );
}
