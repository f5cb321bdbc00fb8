import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Secrets the app makes for itself (e.g. the key that signs manage and unsubscribe links), stored
 * encrypted under ENCRYPTION_KEY and re-encrypted on a key rotation, so that rotating
 * ENCRYPTION_KEY never invalidates links already mailed.
 */
@Entity('app_secrets')
@Index('UQ_app_secrets_name', ['name'], { unique: true })
export class AppSecret {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'bytea' })
  nonce: Buffer;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
