import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EncryptionService } from '../common/crypto/encryption.service';
import { EnrollmentsRepository } from './enrollments.repository';
import { reflectionContext } from './progress.service';
import { ReflectionsRepository } from './reflections.repository';

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
    private readonly enrollments: EnrollmentsRepository,
    private readonly reflections: ReflectionsRepository,
    private readonly encryption: EncryptionService,
  ) {}

  async exportFor(
    user: { id: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgramExport> {
    const enrollments = await this.enrollments.exportFor(manager, user.id);
    const reflections = await this.reflections.findForMember(user.id, manager);
    return {
      enrollments: enrollments.map(({ enrollment: e, steps }) => ({
        id: e.id,
        status: e.status,
        source: e.source,
        shareProgress: e.shareProgress,
        activatedAt: iso(e.activatedAt),
        endedAt: iso(e.endedAt),
        steps: steps.map((s) => ({
          number: s.step,
          openedAt: s.openedAt.toISOString(),
          completedAt: iso(s.completedAt),
        })),
      })),
      reflections: reflections.map((r) => ({
        step: r.step,
        text: this.encryption.decrypt(
          { keyId: r.keyId, nonce: r.nonce, ciphertext: r.ciphertext },
          reflectionContext(user.id, r.step),
        ),
        sharedWithCoach: r.sharedWithCoach,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      })),
    };
  }

  /** Erases the person's reflections, progress and enrollments, inside the caller's transaction (payment records are the payments module's). */
  async eraseFor(manager: EntityManager, user: { id: string }): Promise<void> {
    await this.reflections.deleteForMember(manager, user.id);
    await this.enrollments.deleteForMember(manager, user.id);
  }
}
