import { csvField, toCsv } from './csv';

describe('csv', () => {
  it('quotes and doubles quotes', () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField(null)).toBe('""');
  });
  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'neutralises formula %p',
    (v) => {
      expect(csvField(v).startsWith(`"'`)).toBe(true);
    },
  );
  it('builds rows with CRLF', () => {
    expect(toCsv(['email'], [['a@b.co']])).toBe('"email"\r\n"a@b.co"\r\n');
  });
});
