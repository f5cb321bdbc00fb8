import { redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/bookings/manage?token=abc123', '/bookings/manage?token=[REDACTED]'],
    ['/api/bookings/1/ics?x=1&token=abc', '/api/bookings/1/ics?x=1&token=[REDACTED]'],
    ['/password-reset?token=secret#top', '/password-reset?token=[REDACTED]#top'],
    ['/calendar/feedtoken123.ics', '/calendar/[REDACTED].ics'],
    ['/checkout/success?session_id=cs_test_1', '/checkout/success?session_id=[REDACTED]'],
    ['/blog?page=2', '/blog?page=2'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
