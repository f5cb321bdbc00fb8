import request from 'supertest';
import { Clock } from '../../src/common/clock';
import { COACH_EMAIL, COACH_PASSWORD, loginAs, TestApp } from './app';

/** Local date `days` from today (UTC), YYYY-MM-DD. */
export function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Runs the app's clock (time keeps running) from `time` UTC on the day `days` from today, so a test
 * sees the same open times whatever the hour the suite runs at (the coach's hours are 09:00–17:00
 * UTC). Pick a time away from a slot's start (e.g. 11:40) so no time drops out of the notice window
 * while the test runs. Undo with `t.app.get(Clock).reset()` (in a finally or afterAll).
 */
export function runAppClockFrom(t: TestApp, days: number, time: string): Clock {
  const clock = t.app.get(Clock);
  clock.reset();
  clock.advance(Date.parse(`${dayFromNow(days)}T${time}:00Z`) - Date.now());
  return clock;
}

/**
 * London's zone name at an instant as en-GB pages and mails print it: GMT in winter, BST in summer
 * (so a test of a booking days ahead passes whatever the season the suite runs in).
 */
export function londonZoneName(at: string | Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')!.value;
}

/**
 * Gives the coach every-day hours 09:00–17:00 UTC and a session type; returns the coach token.
 * Extra fields override the session type's defaults (free, 60 min, no notice).
 */
export async function setUpCoach(
  t: TestApp,
  slug: string,
  type: Record<string, unknown> = {},
): Promise<string> {
  const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  await t
    .http()
    .put('/api/availability')
    .set('authorization', `Bearer ${coach}`)
    .send({
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      overrides: [],
    })
    .expect(200);
  await t
    .http()
    .post('/api/session-types')
    .set('authorization', `Bearer ${coach}`)
    .send({
      name: `Type ${slug}`,
      slug,
      durationMinutes: 60,
      price: 0,
      currency: 'usd',
      minimumNoticeMinutes: 0,
      bookingWindowDays: 365,
      ...type,
    })
    .expect(201);
  return coach;
}

export async function openSlots(
  t: TestApp,
  slug: string,
  day: string,
): Promise<{ start: string; end: string }[]> {
  const res = await t
    .http()
    .get(`/api/session-types/${slug}/slots?from=${day}&to=${day}&timeZone=UTC`)
    .expect(200);
  return res.body.slots;
}

export function bookingBody(
  slug: string,
  start: string,
  email = 'sam@example.com',
  extra: Record<string, unknown> = {},
) {
  return {
    sessionType: slug,
    start,
    name: 'Sam Rivera',
    email,
    timeZone: 'Europe/London',
    ...extra,
  };
}

/** POST /api/bookings with `bookingBody(slug, start, email, extra)`: a public booking request. */
export function postBooking(
  t: TestApp,
  slug: string,
  start: string,
  email?: string,
  extra?: Record<string, unknown>,
): request.Test {
  return t
    .http()
    .post('/api/bookings')
    .send(bookingBody(slug, start, email, extra));
}
