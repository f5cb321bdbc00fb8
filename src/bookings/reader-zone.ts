import { FastifyReply, FastifyRequest } from 'fastify';
import { isValidTimeZone } from '../scheduling/slots';

/**
 * The zone booking pages and mails show times in: the visitor's own when known (the `tz` query,
 * the booking form's field, else the cookie the zone picker sets, so it works without
 * JavaScript), else the coach's. A zone whose name is only "UTC" (a coach who never chose one, a
 * booking made through the API) is shown as Reykjavik's: the same clock all year, and a place a
 * person can picture, so no page or mail says a bare "UTC".
 */
export const ZONE_COOKIE = 'mend_tz';

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'UCT',
  'Etc/UCT',
  'Universal',
  'Etc/Universal',
  'Zulu',
  'Etc/Zulu',
]);
/** A place whose clock is UTC all year (no daylight saving). */
export const UTC_PLACE = 'Atlantic/Reykjavik';

/** The zone to show a person: `zone` itself, or a place with the same clock for a bare "UTC". */
export function readableZone(zone: string): string {
  return UTC_NAMES.has(zone) ? UTC_PLACE : zone;
}

const valid = (zone: string | undefined): zone is string =>
  typeof zone === 'string' && zone.length <= 64 && isValidTimeZone(zone);

/** The visitor's zone: the one given (query or form), else the picker's cookie, else null. */
export function visitorZone(request: FastifyRequest, given?: string): string | null {
  if (valid(given)) return given;
  const remembered = (request.cookies as Record<string, string | undefined> | undefined)?.[
    ZONE_COOKIE
  ];
  return valid(remembered) ? remembered : null;
}

/** Remembers a zone the visitor chose (a year; readable by the pages only, not by scripts). */
export function rememberZone(reply: FastifyReply, zone: string, secure: boolean): void {
  reply.setCookie(ZONE_COOKIE, zone, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: 365 * 86_400,
  });
}
