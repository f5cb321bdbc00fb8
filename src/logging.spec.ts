import { QuietFrameworkLogger, redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/bookings/manage?token=abc123', '/bookings/manage?token=[REDACTED]'],
    ['/api/bookings/1/ics?x=1&token=abc', '/api/bookings/1/ics?x=1&token=[REDACTED]'],
    ['/password-reset?token=secret#top', '/password-reset?token=[REDACTED]#top'],
    ['/calendar/feedtoken123.ics', '/calendar/[REDACTED].ics'],
    ['/checkout/success?session_id=cs_test_1', '/checkout/success?session_id=[REDACTED]'],
    ['/blog?page=2', '/blog?page=2'],
    ['/calendar/feedtoken123', '/calendar/[REDACTED]'],
    ['/calendar/feedtoken123?x=1', '/calendar/[REDACTED]?x=1'],
    ['/bookings/manage?%74oken=abc', '/bookings/manage?%74oken=[REDACTED]'],
    ['/bookings/manage?%54OKEN=abc&a=b', '/bookings/manage?%54OKEN=[REDACTED]&a=b'],
    ['/bookings/manage?token', '/bookings/manage?token=[REDACTED]'],
    ['/checkout/success?payment=1&return=sig', '/checkout/success?payment=1&return=[REDACTED]'],
    ['/x?%ff=1', '/x?%ff=1'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('QuietFrameworkLogger', () => {
  function spyLogger() {
    const calls: [string, unknown[]][] = [];
    const at =
      (level: string) =>
      (...args: unknown[]) =>
        void calls.push([level, args]);
    return {
      calls,
      inner: {
        log: at('log'),
        error: at('error'),
        warn: at('warn'),
        debug: at('debug'),
        verbose: at('verbose'),
        fatal: at('fatal'),
      },
    };
  }

  it('logs the framework’s route and module listings at debug, and everything else as it was', () => {
    const { calls, inner } = spyLogger();
    const logger = new QuietFrameworkLogger(inner);
    logger.log('Mapped {/api/me, GET} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('coach account created', 'AccountsService');
    logger.warn('careful', 'RouterExplorer');
    logger.error('boom', 'stack', 'NestApplication');
    expect(calls).toEqual([
      ['debug', ['Mapped {/api/me, GET} route', 'RouterExplorer']],
      ['debug', ['AppModule dependencies initialized', 'InstanceLoader']],
      ['log', ['coach account created', 'AccountsService']],
      ['warn', ['careful', 'RouterExplorer']],
      ['error', ['boom', 'stack', 'NestApplication']],
    ]);
  });
});
