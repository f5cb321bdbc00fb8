import { isUpcoming, mySessionsView } from './booking-pages-view';
import { coachLabel } from './coach-label';
import type { BookingOutDto } from './dto/booking.dto';
import { readableZone } from './reader-zone';

const NOW = new Date('2026-12-01T12:00:00Z');
const booking = (over: Partial<BookingOutDto>): BookingOutDto =>
  ({
    id: 'b',
    status: 'confirmed',
    start: '2026-12-02T09:00:00Z',
    end: '2026-12-02T10:00:00Z',
    sessionType: 'talk',
    sessionTypeName: 'Talk',
    name: 'Sam',
    email: 'sam@example.com',
    timeZone: 'UTC',
    price: 0,
    currency: 'usd',
    ...over,
  }) as BookingOutDto;

describe('booking pages view', () => {
  it('counts a session as upcoming while it is not over and still keeps its time', () => {
    expect(isUpcoming(booking({}), NOW)).toBe(true);
    expect(isUpcoming(booking({ end: '2026-12-01T11:59:00Z' }), NOW)).toBe(false);
    expect(isUpcoming(booking({ status: 'cancelled' }), NOW)).toBe(false);
    expect(isUpcoming(booking({ status: 'expired' }), NOW)).toBe(false);
    const hold = { status: 'pending_payment' as const };
    expect(isUpcoming(booking({ ...hold, holdExpiresAt: '2026-12-01T12:10:00Z' }), NOW)).toBe(true);
    // A hold whose time ran out no longer keeps the time, though its status still says pending.
    expect(isUpcoming(booking({ ...hold, holdExpiresAt: '2026-12-01T11:50:00Z' }), NOW)).toBe(
      false,
    );
  });

  it('lists upcoming soonest first and past latest first, never in a bare UTC', () => {
    const view = mySessionsView(
      [
        booking({ id: 'old', start: '2026-11-01T09:00:00Z', end: '2026-11-01T10:00:00Z' }),
        booking({ id: 'older', start: '2026-10-01T09:00:00Z', end: '2026-10-01T10:00:00Z' }),
        booking({ id: 'next' }),
      ].sort((a, b) => a.start.localeCompare(b.start)),
      NOW,
      null,
      'en-GB',
    );
    expect(view.upcoming.map((b) => b.id)).toEqual(['next']);
    expect(view.past.map((b) => b.id)).toEqual(['old', 'older']);
    for (const b of [...view.upcoming, ...view.past]) expect(b.when).not.toContain('UTC');
    expect(view.upcoming[0].when).toContain('09:00 GMT');
  });

  it('shows a bare UTC as a place with the same clock, and any other zone as it is', () => {
    expect(readableZone('UTC')).toBe('Atlantic/Reykjavik');
    expect(readableZone('Etc/UTC')).toBe('Atlantic/Reykjavik');
    expect(readableZone('Europe/London')).toBe('Europe/London');
    expect(readableZone('EST')).toBe('EST');
  });

  it('names the coach by her name, else the practice, else "your coach" — never the placeholder', () => {
    expect(coachLabel('Dana', 'Steady Ground')).toBe('Dana');
    expect(coachLabel('Coach', 'Steady Ground')).toBe('Steady Ground');
    expect(coachLabel('  ', 'Steady Ground')).toBe('Steady Ground');
    expect(coachLabel(null, 'Your practice')).toBe('your coach');
    expect(coachLabel('coach', null, true)).toBe('Your coach');
  });
});
