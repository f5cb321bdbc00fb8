import { DomainError } from './errors';

/**
 * What Mend accepts as input, checked before any DTO, validator or query sees it: well-formed UTF-8
 * without NUL or lone surrogates (PostgreSQL refuses NUL; a lone surrogate can't be stored or
 * mailed), JSON no deeper and with no more members than any real request needs, flat form bodies
 * and query strings (one value per name).
 *
 * The limits are counted in one linear pass over the text before JSON.parse, so the cost of a
 * hostile body is bounded before class-transformer (whose cost grows faster than the key count)
 * or class-validator run.
 */
export const INPUT_LIMITS = {
  /** Bytes of one request body (Fastify's bodyLimit; larger → 413 PAYLOAD_TOO_LARGE). */
  bodyBytes: 1_048_576,
  /** Nesting of objects and arrays in a JSON body (Mend's deepest DTO needs 4). */
  jsonDepth: 32,
  /** Object keys in one JSON body, counted over all nesting levels. */
  jsonKeys: 2_000,
  /** Array items in one JSON body, counted over all nesting levels. */
  jsonItems: 10_000,
  /** Fields in a form body or a query string. */
  formFields: 200,
} as const;

const badRequest = (message: string): DomainError => new DomainError('BAD_REQUEST', message);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly: invalid bytes are refused, never replaced. */
export function decodeUtf8(bytes: Buffer | Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest('The request is not valid UTF-8.');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Null when `s` is text Mend can store; else the reason it is not. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired surrogate (not valid Unicode)';
  return null;
}

function assertText(s: string, where: string): void {
  const problem = textProblem(s);
  if (problem) throw badRequest(`${where} ${problem}.`);
}

/** One linear pass: depth and member counts of a JSON text, ignoring what is inside strings. */
export function assertJsonShape(text: string, limits = INPUT_LIMITS): void {
  let depth = 0;
  let keys = 0;
  let items = 0;
  let inString = false;
  // Per open container: true for an array that already holds a value (so a comma adds an item).
  const arrays: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x22: // "
        inString = true;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if (++depth > limits.jsonDepth) {
          throw badRequest(
            `The request body is nested too deeply (at most ${limits.jsonDepth} levels).`,
          );
        }
        arrays.push(c === 0x5b);
        break;
      case 0x7d: // }
      case 0x5d: // ]
        depth--;
        arrays.pop();
        break;
      case 0x3a: // :
        keys++;
        break;
      case 0x2c: // ,
        if (arrays[arrays.length - 1]) items++;
        break;
      default:
        break;
    }
    if (keys > limits.jsonKeys || items > limits.jsonItems) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `The request body has too many fields (at most ${limits.jsonKeys} keys and ${limits.jsonItems} list items).`,
      );
    }
  }
}

/** A JSON string that isn't storable text: 400 VALIDATION_FAILED naming the field, like any invalid field. */
function assertField(s: string, path: string): void {
  const problem = textProblem(s);
  if (!problem) return;
  if (!path) throw badRequest(`The body ${problem}.`);
  throw new DomainError('VALIDATION_FAILED', `Please check: ${path}.`, {
    [path]: [`${path} ${problem}`],
  });
}

/** Every string (keys too) is storable text; no prototype-poisoning keys. Depth is already bounded. */
function assertJsonValues(value: unknown, path: string): void {
  if (typeof value === 'string') return assertField(value, path);
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonValues(v, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (
      key === '__proto__' ||
      (key === 'constructor' && typeof (value as Record<string, unknown>)[key] === 'object')
    ) {
      throw badRequest('The request body uses a reserved key.');
    }
    assertText(key, 'A field name');
    assertJsonValues((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
  }
}

/** Parses a JSON request body within INPUT_LIMITS; any refusal is a DomainError (400 or 413). */
export function parseJsonBody(body: Buffer | string, limits = INPUT_LIMITS): unknown {
  const text = typeof body === 'string' ? body : decodeUtf8(body);
  if (text.trim() === '') return undefined;
  assertJsonShape(text, limits);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  assertJsonValues(parsed, '');
  return parsed;
}

function decodeComponent(s: string, what: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // Invalid percent-escapes, or bytes that aren't UTF-8 (which includes encoded lone surrogates).
    throw badRequest(`The ${what} is not valid percent-encoded UTF-8.`);
  }
}

/**
 * Parses `a=1&b=2` (a form body or a query string) into a flat map of strings. A name given twice,
 * NUL, invalid UTF-8 or too many fields is refused: no route of Mend takes a list this way, and a
 * list where a string was expected is how a handler ends up with a value it never checked.
 */
export function parseUrlEncoded(
  raw: string,
  what: 'query string' | 'form',
  limits = INPUT_LIMITS,
): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (raw === '') return out;
  const pairs = raw.split('&');
  if (pairs.length > limits.formFields) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `The ${what} has too many fields (at most ${limits.formFields}).`,
    );
  }
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), what);
    const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1), what);
    assertText(name, `A ${what} field name`);
    assertText(value, `The ${what} field “${name.slice(0, 40)}”`);
    if (name === '__proto__' || name === 'constructor' || name === 'prototype')
      throw badRequest(`The ${what} uses a reserved name.`);
    if (Object.hasOwn(out, name))
      throw badRequest(`The ${what} field “${name.slice(0, 40)}” is given more than once.`);
    out[name] = value;
  }
  // A plain object, so templates and spread copies behave as usual.
  return { ...out };
}

/** The path of a URL (before `?`): decodable UTF-8 without NUL. */
export function assertPath(url: string): void {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw badRequest('The address is not valid percent-encoded UTF-8.');
  }
  assertText(decoded, 'The address');
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
