import {
  bulkBudget,
  isConnectionError,
  isPermanentSmtpError,
  messageIdFor,
  retryDelayMs,
  RETRY_CAP_MS,
  shouldGiveUp,
} from './delivery-rules';

describe('mail delivery rules', () => {
  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(40, 1000)).toBe(RETRY_CAP_MS);
  });

  it('tells permanent refusals from outages', () => {
    expect(isPermanentSmtpError({ responseCode: 550 })).toBe(true);
    expect(isPermanentSmtpError({ responseCode: 451 })).toBe(false);
    expect(isPermanentSmtpError(new Error('ECONNREFUSED'))).toBe(false);
    expect(
      isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })),
    ).toBe(true);
    expect(isConnectionError({ responseCode: 451 })).toBe(false);
  });

  it('gives up after three permanent refusals or a day', () => {
    const created = new Date('2026-12-01T10:00:00Z');
    expect(shouldGiveUp(2, true, created, created)).toBe(false);
    expect(shouldGiveUp(3, true, created, created)).toBe(true);
    expect(shouldGiveUp(50, false, created, new Date('2026-12-02T09:59:59Z'))).toBe(false);
    expect(shouldGiveUp(1, false, created, new Date('2026-12-02T10:00:00Z'))).toBe(true);
  });

  it('paces bulk mail per minute and smoothly per second', () => {
    expect(bulkBudget(600, 0, 0)).toBe(10);
    expect(bulkBudget(600, 0, 7)).toBe(3);
    expect(bulkBudget(600, 595, 0)).toBe(5);
    expect(bulkBudget(600, 600, 0)).toBe(0);
    expect(bulkBudget(10, 0, 0)).toBe(1);
    expect(bulkBudget(10, 0, 1)).toBe(0);
    expect(bulkBudget(90, 0, 3)).toBe(0);
  });

  it('derives a stable Message-ID from the row and the sender domain', () => {
    expect(messageIdFor('abc', 'Mend <hello@mend.example>')).toBe('<abc@mend.example>');
    expect(messageIdFor('abc', 'hello@x.test')).toBe('<abc@x.test>');
  });
});
