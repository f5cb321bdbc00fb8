import { canOpenSteps, canRefund, stepNumbers } from './enrollment-rules';
import { STEP_COUNT } from './unlocking';

describe('enrollment rules for the coach', () => {
  it('refunds only an active, paid enrollment', () => {
    expect(canRefund({ status: 'active', source: 'payment' })).toBe(true);
    expect(canRefund({ status: 'active', source: 'grant' })).toBe(false);
    expect(canRefund({ status: 'refunded', source: 'payment' })).toBe(false);
    expect(canRefund({ status: 'pending_payment', source: 'payment' })).toBe(false);
  });

  it('opens steps only for an active member, from the program’s own steps', () => {
    expect(canOpenSteps({ status: 'active', source: 'grant' })).toBe(true);
    expect(canOpenSteps({ status: 'expired', source: 'payment' })).toBe(false);
    expect(stepNumbers()).toEqual(Array.from({ length: STEP_COUNT }, (_, i) => i + 1));
    expect(stepNumbers()[0]).toBe(1);
  });
});
