import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EncryptionService } from '../common/crypto/encryption.service';
import { reflectionContext } from './progress.service';

export interface ProgramExport {
  enrollments: {
    id: string;
    status: string;
    source: string;
    shareProgress: boolean;
    activatedAt: string | null;
    endedAt: string | null;
    steps: { number: number; openedAt: string; completedAt: string | null }[];
  }[];
  /** Decrypted: the member's own writing, also after a refund. */
  reflections: {
    step: number;
    text: string;
    sharedWithCoach: boolean;
    createdAt: string;
    updatedAt: string;
  }[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * What the program holds about one person, for `GET /api/me/export` and `DELETE /api/me` (the
 * clients/data-rights module calls these): enrollments with step progress, and reflections.
 */
@Injectable()
export class ProgramDataRightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: EncryptionService,
  ) {}

  async exportFor(
    user: { id: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgramExport> {
    const enrollments = (await manager.query(
      `SELECT id, status, source, share_progress, activated_at, ended_at FROM enrollments
       WHERE user_id = $1 AND status IN ('active', 'refunded') ORDER BY created_at`,
      [user.id],
    )) as {
      id: string;
      status: string;
      source: string;
      share_progress: boolean;
      activated_at: Date | null;
      ended_at: Date | null;
    }[];
    const steps = (await manager.query(
      `SELECT s.enrollment_id, s.step, s.opened_at, s.completed_at FROM enrollment_steps s
       JOIN enrollments e ON e.id = s.enrollment_id WHERE e.user_id = $1 ORDER BY s.step`,
      [user.id],
    )) as { enrollment_id: string; step: number; opened_at: Date; completed_at: Date | null }[];
    const reflections = (await manager.query(
      `SELECT step, key_id, nonce, ciphertext, shared_with_coach, created_at, updated_at FROM reflections WHERE user_id = $1 ORDER BY step`,
      [user.id],
    )) as {
      step: number;
      key_id: string;
      nonce: Buffer;
      ciphertext: Buffer;
      shared_with_coach: boolean;
      created_at: Date;
      updated_at: Date;
    }[];
    return {
      enrollments: enrollments.map((e) => ({
        id: e.id,
        status: e.status,
        source: e.source,
        shareProgress: e.share_progress,
        activatedAt: iso(e.activated_at),
        endedAt: iso(e.ended_at),
        steps: steps
          .filter((s) => s.enrollment_id === e.id)
          .map((s) => ({
            number: s.step,
            openedAt: s.opened_at.toISOString(),
            completedAt: iso(s.completed_at),
          })),
      })),
      reflections: reflections.map((r) => ({
        step: r.step,
        text: this.encryption.decrypt(
          { keyId: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext },
          reflectionContext(user.id, r.step),
        ),
        sharedWithCoach: r.shared_with_coach,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      })),
    };
  }

  /** Erases the person's reflections, progress and enrollments, inside the caller's transaction (payment records are the payments module's). */
  async eraseFor(manager: EntityManager, user: { id: string }): Promise<void> {
    await manager.query(`DELETE FROM reflections WHERE user_id = $1`, [user.id]);
    await manager.query(`DELETE FROM enrollments WHERE user_id = $1`, [user.id]);
  }
}
