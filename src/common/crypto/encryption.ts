import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for private writing (reflections, coach notes). Every write gets a fresh random
 * 12-byte nonce; the 16-byte auth tag is appended to the ciphertext; the key id travels with the
 * value so keys can be rotated. `context` is bound as additional authenticated data, so a value
 * copied to another row (another member, another step) fails to decrypt instead of leaking.
 */
export interface Encrypted {
  keyId: string;
  nonce: Buffer;
  /** ciphertext ‖ 16-byte GCM tag */
  ciphertext: Buffer;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a value can't be decrypted (wrong key, tampered, or moved to another row). */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** A short, public identifier of a key (not reversible): 8 hex chars of SHA-256 over a label and the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256')
    .update('mend-encryption-key-id:')
    .update(key)
    .digest('hex')
    .slice(0, 8);
}

export function encrypt(key: Buffer, plaintext: string, context: string): Encrypted {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: keyIdOf(key), nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

export function decrypt(key: Buffer, value: Encrypted, context: string): string {
  if (value.keyId !== keyIdOf(key))
    throw new DecryptionError(
      `encrypted under key ${value.keyId}, which is not the configured key`,
    );
  if (value.nonce.length !== NONCE_BYTES || value.ciphertext.length < TAG_BYTES)
    throw new DecryptionError('malformed encrypted value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, value.nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(value.ciphertext.subarray(value.ciphertext.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(value.ciphertext.subarray(0, value.ciphertext.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new DecryptionError('the encrypted value failed authentication');
  }
}
