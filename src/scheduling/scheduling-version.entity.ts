import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row whose `version` changes whenever coach_settings or session_types change: database
 * triggers bump it (migration SchedulingVersion), so no code path can forget. Every instance
 * compares it with the version of its cached settings and session types (SlotSettingsCache).
 */
@Entity('scheduling_version')
@Check('CHK_scheduling_version_single_row', `"id" = 1`)
export class SchedulingVersion {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint', default: 1 })
  version: string;
}
