import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * The one rule for a time zone anywhere it enters Mend (API bodies, `?tz=`, forms, stored rows):
 * an IANA zone name — `UTC` or `Area/Location` such as `Europe/London` — that this runtime's
 * Intl knows. Refused:
 * - offsets (`+01:00`) and ISO strings (`2026-01-01T00:00+01:00[Europe/London]`): Temporal takes
 *   them but Intl does not, and an offset never follows daylight-saving rules;
 * - legacy fixed-offset and abbreviation names without an area (`EST`, `MST`, `HST`, `EST5EDT`,
 *   `CET`, `GB`, `Japan` …) and `Etc/GMT±N` (whose sign is inverted): tzdata keeps them only for
 *   compatibility and they mislead people (`EST` never observes daylight time). Browsers always
 *   report an `Area/Location` name, so a real visitor never sends one.
 */
export const TIME_ZONE_MESSAGE = 'timeZone must be an IANA time zone such as Europe/London';

const SHAPE = /^(?:UTC|Etc\/UTC|[A-Z][A-Za-z_-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;
const known = new Set<string>();

export function isIanaTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string') return false;
  if (known.has(zone)) return true;
  if (zone.length > 64 || !SHAPE.test(zone)) return false;
  if (zone.startsWith('Etc/') && zone !== 'Etc/UTC') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  // Only real zones are remembered, so made-up names can't grow the set.
  if (known.size < 1000) known.add(zone);
  return true;
}

/** `zone` when it is a valid IANA zone, else `fallback` (for values read back from storage). */
export function zoneOr(zone: string | null | undefined, fallback: string): string {
  return isIanaTimeZone(zone) ? zone : fallback;
}

/** class-validator: the property is a time zone by `isIanaTimeZone`. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: TIME_ZONE_MESSAGE, ...options },
      validator: { validate: (value: unknown) => isIanaTimeZone(value) },
    });
}
