import { fromWithName } from './site-defaults';

describe('fromWithName', () => {
  it('keeps MAIL_FROM’s address and puts the practice’s name in front', () => {
    expect(fromWithName('Mend <hello@mend.local>', 'Steady Ground Coaching')).toBe(
      '"Steady Ground Coaching" <hello@mend.local>',
    );
    expect(fromWithName('hello@mend.local', 'Ruth’s Practice')).toBe(
      '"Ruth’s Practice" <hello@mend.local>',
    );
  });
  it('cannot be used to add a header or break the quoting', () => {
    expect(fromWithName('a@b.c', 'X\r\nBcc: evil@x.test "quoted" <tag>')).toBe(
      '"X Bcc: evil@x.test quoted tag" <a@b.c>',
    );
    expect(fromWithName('a@b.c', '  ')).toBe('a@b.c');
  });
});
