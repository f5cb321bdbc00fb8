import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { decrypt, DecryptionError, encrypt, keyIdOf } from './encryption';

describe('AES-256-GCM encryption', () => {
  const key = randomBytes(32);

  it('round-trips any text, with a fresh nonce per write', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const a = encrypt(key, text, 'ctx');
        const b = encrypt(key, text, 'ctx');
        expect(a.nonce.equals(b.nonce)).toBe(false);
        expect(decrypt(key, a, 'ctx')).toBe(text);
      }),
    );
  });

  it('never contains the plain text', () => {
    const v = encrypt(key, 'a very distinctive phrase', 'ctx');
    expect(v.ciphertext.toString('utf8')).not.toContain('distinctive');
    expect(v.ciphertext.length).toBe(Buffer.byteLength('a very distinctive phrase') + 16);
  });

  it('refuses another key, another context, and tampering', () => {
    const v = encrypt(key, 'secret', 'user-1:step-1');
    expect(() =>
      decrypt(randomBytes(32), { ...v, keyId: keyIdOf(randomBytes(32)) }, 'user-1:step-1'),
    ).toThrow(DecryptionError);
    expect(() => decrypt(key, v, 'user-2:step-1')).toThrow(DecryptionError);
    const tampered = Buffer.from(v.ciphertext);
    tampered[0] ^= 1;
    expect(() => decrypt(key, { ...v, ciphertext: tampered }, 'user-1:step-1')).toThrow(
      DecryptionError,
    );
    const other = randomBytes(32);
    expect(() => decrypt(other, v, 'user-1:step-1')).toThrow(/not the configured key/);
  });

  it('gives each key a stable 8-hex-char id', () => {
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyIdOf(key)).toBe(keyIdOf(Buffer.from(key)));
    expect(keyIdOf(randomBytes(32))).not.toBe(keyIdOf(key));
  });
});
