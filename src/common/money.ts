/**
 * Money, once: amounts are integers in the currency's minor units in the API, the database and
 * Stripe (`9500` usd = $95.00; `5000` jpy = ¥5,000, which has no minor unit). People type and read
 * major units with the currency's own decimals. Every form, page, mail and payment goes through
 * these functions, so a page and a Checkout Session can never disagree by a factor of 100.
 *
 * Exponents follow Stripe, which follows ISO 4217 except where Stripe says otherwise: the
 * zero-decimal list below, and three-decimal currencies whose amounts Stripe requires to end in 0.
 */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** The currencies a coach picks from (Stripe supports them all); the value is lower case, as in the API. */
export const CURRENCIES: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'usd', name: 'US dollar' },
  { code: 'eur', name: 'Euro' },
  { code: 'gbp', name: 'British pound' },
  { code: 'cad', name: 'Canadian dollar' },
  { code: 'aud', name: 'Australian dollar' },
  { code: 'nzd', name: 'New Zealand dollar' },
  { code: 'chf', name: 'Swiss franc' },
  { code: 'sek', name: 'Swedish krona' },
  { code: 'nok', name: 'Norwegian krone' },
  { code: 'dkk', name: 'Danish krone' },
  { code: 'pln', name: 'Polish złoty' },
  { code: 'czk', name: 'Czech koruna' },
  { code: 'ils', name: 'Israeli new shekel' },
  { code: 'inr', name: 'Indian rupee' },
  { code: 'sgd', name: 'Singapore dollar' },
  { code: 'hkd', name: 'Hong Kong dollar' },
  { code: 'zar', name: 'South African rand' },
  { code: 'mxn', name: 'Mexican peso' },
  { code: 'brl', name: 'Brazilian real' },
  { code: 'jpy', name: 'Japanese yen' },
  { code: 'krw', name: 'South Korean won' },
];

/** Number of decimal places of a currency's major unit (2 for usd, 0 for jpy, 3 for kwd). */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

export class MoneyInputError extends Error {}

/**
 * Parses what a person typed ("199", "199.5", "199.00", "1,234.50", "¥5000", "5 000") into minor
 * units. Refuses negatives, more decimals than the currency has, and anything that isn't a number.
 */
export function toMinorUnits(typed: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const cleaned = typed
    .trim()
    .replace(/^[^\w.-]+/u, '')
    .replace(/[\s,_']/g, '');
  if (cleaned === '')
    throw new MoneyInputError('Enter an amount, for example ' + exampleAmount(currency));
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(cleaned);
  if (!match)
    throw new MoneyInputError(
      'Enter the amount as a number, for example ' + exampleAmount(currency),
    );
  const whole = match[1];
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > exponent) {
    throw new MoneyInputError(
      exponent === 0
        ? `${currency.toUpperCase()} has no smaller unit: enter a whole amount, for example ${exampleAmount(currency)}`
        : `Enter at most ${exponent} decimal places, for example ${exampleAmount(currency)}`,
    );
  }
  const minor =
    Number(whole) * 10 ** exponent + Number((fraction + '000').slice(0, exponent) || '0');
  if (!Number.isSafeInteger(minor)) throw new MoneyInputError('That amount is too large');
  return minor;
}

/** Minor units as a form value in major units: 19900 usd → "199.00", 5000 jpy → "5000". */
export function toMajorInput(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** exponent;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exponent, '0')}`;
}

function exampleAmount(currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? '5000' : exponent === 3 ? '95.500' : '95.00';
}

const formats = new Map<string, Intl.NumberFormat>();

/** For people: 9500 usd → "$95.00", 5000 jpy → "¥5,000" (English symbols unless a locale is given). */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const key = `${locale}|${code}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      });
    } catch {
      return `${toMajorInput(minor, code)} ${code}`;
    }
    if (formats.size < 500) formats.set(key, format);
  }
  return format.format(minor / 10 ** exponent);
}

/** A price as a visitor reads it: "Free" for nothing, else the formatted amount. */
export function formatPrice(minor: number, currency: string, locale = 'en'): string {
  return minor === 0 ? 'Free' : formatMoney(minor, currency, locale);
}

/** A price field of a form: minor units, or the message to show beside the field. */
export function readPriceField(
  typed: string | undefined,
  currency: string | undefined,
): { ok: true; minor: number } | { ok: false; message: string } {
  try {
    return { ok: true, minor: typed?.trim() ? toMinorUnits(typed, currency || 'usd') : 0 };
  } catch (e) {
    if (e instanceof MoneyInputError) return { ok: false, message: e.message };
    throw e;
  }
}
