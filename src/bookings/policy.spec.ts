import { policyInWords, refundDue, withinNotice } from './policy';

describe('booking policy', () => {
  const start = new Date('2026-12-02T12:00:00Z');
  it('lets a client act up to exactly the notice, the coach always', () => {
    expect(withinNotice('client', start, new Date('2026-12-01T12:00:00Z'), 24)).toBe(true);
    expect(withinNotice('client', start, new Date('2026-12-01T12:00:01Z'), 24)).toBe(false);
    expect(withinNotice('coach', start, new Date('2026-12-02T11:59:00Z'), 24)).toBe(true);
    expect(refundDue('client', start, new Date('2026-12-02T00:00:00Z'), 24)).toBe(false);
    expect(refundDue('coach', start, new Date('2026-12-02T00:00:00Z'), 24)).toBe(true);
  });
  it('says the policy in plain words', () => {
    expect(policyInWords(24, true)).toMatch(
      /up to 24 hours before it starts and get a full refund/,
    );
    expect(policyInWords(1, false)).toMatch(/up to 1 hour before/);
  });
});
