import fc from 'fast-check';
import {
  currencyExponent,
  formatMoney,
  formatPrice,
  MoneyInputError,
  toMajorInput,
  toMinorUnits,
} from './money';

describe('money', () => {
  it('knows each currency’s decimals as Stripe counts them', () => {
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('krw')).toBe(0);
    expect(currencyExponent('kwd')).toBe(3);
  });

  it('reads what a coach types in major units', () => {
    expect(toMinorUnits('199.00', 'usd')).toBe(19900);
    expect(toMinorUnits('199', 'usd')).toBe(19900);
    expect(toMinorUnits('199.5', 'eur')).toBe(19950);
    expect(toMinorUnits(' $1,234.56 ', 'usd')).toBe(123456);
    expect(toMinorUnits('5000', 'jpy')).toBe(5000);
    expect(toMinorUnits('¥5,000', 'jpy')).toBe(5000);
    expect(toMinorUnits('5000.00', 'jpy')).toBe(5000);
    expect(toMinorUnits('1.5', 'kwd')).toBe(1500);
    expect(toMinorUnits('0', 'usd')).toBe(0);
  });

  it('refuses what is not an amount in that currency, in plain words', () => {
    expect(() => toMinorUnits('', 'usd')).toThrow(MoneyInputError);
    expect(() => toMinorUnits('abc', 'usd')).toThrow('Enter the amount as a number');
    expect(() => toMinorUnits('-5', 'usd')).toThrow(MoneyInputError);
    expect(() => toMinorUnits('1.999', 'usd')).toThrow('at most 2 decimal places');
    expect(() => toMinorUnits('5000.5', 'jpy')).toThrow('whole amount');
    expect(() => toMinorUnits('1e5', 'usd')).toThrow(MoneyInputError);
    expect(() => toMinorUnits('999999999999999', 'usd')).toThrow(MoneyInputError);
  });

  it('writes minor units back as the value a form shows', () => {
    expect(toMajorInput(19900, 'usd')).toBe('199.00');
    expect(toMajorInput(5, 'usd')).toBe('0.05');
    expect(toMajorInput(5000, 'jpy')).toBe('5000');
    expect(toMajorInput(1500, 'kwd')).toBe('1.500');
  });

  it('round-trips every amount through the form in every kind of currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_00 }),
        fc.constantFrom('usd', 'jpy', 'kwd', 'eur'),
        (minor, currency) => {
          expect(toMinorUnits(toMajorInput(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it('formats for people with the currency’s own decimals', () => {
    expect(formatMoney(9500, 'usd', 'en-US')).toBe('$95.00');
    expect(formatMoney(5000, 'jpy', 'en-US')).toBe('¥5,000');
    expect(formatMoney(9500, 'gbp')).toBe('£95.00');
    expect(formatPrice(0, 'usd')).toBe('Free');
    expect(formatPrice(19900, 'eur', 'en-GB')).toBe('€199.00');
  });
});
