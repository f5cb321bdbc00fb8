import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';

/**
 * A member's reflection on one step: one per member and step, kept across enrollments (a refund
 * ends access to the steps, not to the member's own writing). The text is stored only as
 * AES-256-GCM ciphertext (with its nonce and key id); the plain text never reaches the database.
 */
@Entity('reflections')
@Index('UQ_reflections_user_step', ['userId', 'step'], { unique: true })
@Check('CHK_reflections_step', `"step" BETWEEN 1 AND 12`)
export class Reflection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'smallint' })
  step: number;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'bytea' })
  nonce: Buffer;

  /** ciphertext ‖ GCM tag */
  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @Column({ name: 'shared_with_coach', type: 'boolean', default: false })
  sharedWithCoach: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
