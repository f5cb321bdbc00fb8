import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per ENCRYPTION_KEY this database has known: an encryption of a known constant under
 * that key. Start-up decrypts it, so a wrong key stops the app instead of returning garbage.
 */
@Entity('encryption_key_checks')
export class EncryptionKeyCheck {
  @PrimaryColumn({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'bytea' })
  nonce: Buffer;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
