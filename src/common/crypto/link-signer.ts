import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { AppSecretsRepository } from './app-secrets.repository';
import { EncryptionService } from './encryption.service';

const NAME = 'link-signing';
const context = (name: string): string => `app-secret:${name}`;

/**
 * Signs the tokens in links that mails carry (booking manage links, newsletter unsubscribe
 * links). Its key is a random secret made once per database and kept encrypted in `app_secrets`,
 * independent of ENCRYPTION_KEY: a key rotation re-encrypts the secret, and every link already
 * mailed keeps working.
 */
@Injectable()
export class LinkSigner implements OnApplicationBootstrap {
  private secret: Buffer | null = null;

  constructor(
    private readonly secrets: AppSecretsRepository,
    private readonly encryption: EncryptionService,
  ) {}

  /** After EncryptionService has verified the key (module init): load or make the secret. */
  async onApplicationBootstrap(): Promise<void> {
    const fresh = this.encryption.encrypt(randomBytes(32).toString('base64'), context(NAME));
    // The first instance to get here makes the secret; the others find it.
    await this.secrets.addIfAbsent(NAME, fresh);
    const row = await this.secrets.findByName(NAME);
    if (!row) throw new Error(`app secret ${NAME} is missing right after it was stored`);
    this.encryption.assertKeysConfigured([row.keyId], 'app secrets');
    const value = this.encryption.decrypt(row, context(NAME));
    this.secret = Buffer.from(value, 'base64');
    // After a rotation: keep the same secret, under the new key.
    if (this.encryption.isStale(row.keyId)) {
      await this.encryption.reencrypt(this.secrets, (r) => context(r.name));
    }
  }

  /** The HMAC key for link tokens (available once the app has booted). */
  get key(): Buffer {
    if (!this.secret) throw new Error('LinkSigner is used before the app has booted');
    return this.secret;
  }

  /** base64url HMAC-SHA256 of `purpose:value`. */
  sign(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${value}`).digest('base64url');
  }
}
