import { formatDate } from './view-format';

describe('view formatting', () => {
  it('formats dates in the member’s zone, or UTC', () => {
    expect(formatDate('2026-03-08T17:00:00Z', null)).toBe('8 Mar 2026, 17:00 UTC');
    expect(formatDate('2026-07-08T17:00:00Z', 'Europe/London')).toBe('8 Jul 2026, 18:00 BST');
    expect(formatDate('2026-07-08T17:00:00Z', 'Not/AZone')).toBe('8 Jul 2026, 17:00 UTC');
    expect(formatDate(null, null)).toBeNull();
  });
});
