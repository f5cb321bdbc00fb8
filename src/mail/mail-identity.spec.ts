import { signMail } from './mail-identity';

describe('signMail', () => {
  it('replaces only a sign-off line that is exactly "— Mend"', () => {
    expect(signMail('Hello,\n\nSee you.\n\n— Mend', 'Ruth Calder · Steady Ground')).toBe(
      'Hello,\n\nSee you.\n\n— Ruth Calder · Steady Ground',
    );
    expect(signMail('— Mend\n\nYou get this because…', 'S')).toBe('— S\n\nYou get this because…');
    expect(signMail('I use — Mend daily', 'S')).toBe('I use — Mend daily');
  });
});
