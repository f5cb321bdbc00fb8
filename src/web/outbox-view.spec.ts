import { linkPieces } from './outbox-view';

describe('outbox links', () => {
  it('makes http(s) links clickable and leaves the sentence around them', () => {
    expect(linkPieces('Manage it: https://mend.test/bookings/manage?token=abc.\nThanks')).toEqual([
      { text: 'Manage it: ' },
      { href: 'https://mend.test/bookings/manage?token=abc' },
      { text: '.\nThanks' },
    ]);
  });

  it('never links other schemes, and leaves markup as text (escaped by the template)', () => {
    const pieces = linkPieces('javascript:alert(1) <b>x</b> http://ok.test/"onmouseover=x');
    expect(pieces.filter((p) => 'href' in p)).toEqual([{ href: 'http://ok.test/' }]);
    expect(pieces.map((p) => ('text' in p ? p.text : p.href)).join('')).toBe(
      'javascript:alert(1) <b>x</b> http://ok.test/"onmouseover=x',
    );
  });
});
