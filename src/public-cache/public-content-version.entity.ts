import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row whose `version` changes whenever something a public page shows changes. Database
 * triggers bump it for posts, approved comments, ratings and session types (see the migration
 * PublicContentVersion); other modules call PublicCache.bump(). Every instance compares it with
 * the version its cached pages were rendered at.
 */
@Entity('public_content_version')
@Check('CHK_public_content_version_single_row', `"id" = 1`)
export class PublicContentVersion {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint', default: 1 })
  version: string;

  @Column({ name: 'bumped_at', type: 'timestamptz', default: () => 'now()' })
  bumpedAt: Date;
}
