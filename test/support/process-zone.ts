/**
 * Runs `fn` with the process's local time zone set to `zone` (the TZ variable), then restores it
 * exactly (an unset TZ is deleted again: assigning undefined would set the string "undefined").
 * For tests proving that a result does not depend on the server's zone.
 */
export function withProcessTimeZone<T>(zone: string, fn: () => T): T {
  const before = process.env.TZ;
  try {
    process.env.TZ = zone;
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}
