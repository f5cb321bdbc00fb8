import { isPlaceZone, zoneGroups, zoneLabel } from './time-zones';

describe('the time-zone picker', () => {
  it('offers places, by their current names, and no fixed offsets', () => {
    expect(isPlaceZone('Europe/London')).toBe(true);
    expect(isPlaceZone('Asia/Kolkata')).toBe(true);
    expect(isPlaceZone('Asia/Calcutta')).toBe(true); // what some browsers report
    for (const zone of [
      'EST',
      'UTC',
      'Etc/GMT+5',
      'GMT',
      'EST5EDT',
      'US/Eastern',
      'Mars/Olympus',
      '',
    ])
      expect(isPlaceZone(zone)).toBe(false);
  });

  it('groups zones by region with the city and its offset', () => {
    const groups = zoneGroups(new Date('2026-07-01T12:00:00Z'));
    const europe = groups.find((g) => g.region === 'Europe')!;
    expect(europe.zones).toContainEqual({ value: 'Europe/London', label: 'London (GMT+1)' });
    expect(groups.find((g) => g.region === 'Americas')!.zones).toContainEqual({
      value: 'America/Argentina/Buenos_Aires',
      label: 'Buenos Aires (Argentina) (GMT-3)',
    });
    expect(groups.flatMap((g) => g.zones).some((z) => z.value === 'Asia/Calcutta')).toBe(false);
    expect(zoneLabel('America/New_York', new Date('2026-01-01T12:00:00Z'))).toBe(
      'New York (GMT-5)',
    );
  });
});
