import { checkFeedUrl, FeedFetchError, isInternalAddress } from './feed-fetcher';

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.8',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12::3',
    '::ffff:127.0.0.1',
    '::ffff:10.1.1.1',
    '224.0.0.1',
    'not-an-ip',
  ])('%s is inside', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '142.250.74.78', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is outside',
    (ip) => expect(isInternalAddress(ip)).toBe(false),
  );
});

describe('checkFeedUrl', () => {
  it('takes http(s) and webcal (as https)', () => {
    expect(checkFeedUrl('webcal://p01-caldav.icloud.com/published/2/abc').href).toBe(
      'https://p01-caldav.icloud.com/published/2/abc',
    );
    expect(checkFeedUrl('http://example.com/a.ics').protocol).toBe('http:');
  });

  it.each([
    'ftp://example.com/a.ics',
    'file:///etc/passwd',
    'gopher://x',
    'javascript:alert(1)',
    'nonsense',
    'https://user:pw@example.com/a.ics',
  ])('refuses %s', (url) => expect(() => checkFeedUrl(url)).toThrow(FeedFetchError));
});
