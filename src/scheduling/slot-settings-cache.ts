import { Injectable } from '@nestjs/common';
import { SlotType } from './scheduling-rows';
import { SessionTypeRecord } from './session-type-record';
import { DateOverride, WeeklyHours } from './slots';

/** What the slot engine needs of a coach's settings. */
export interface SlotSettings {
  timeZone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  maxSessionsPerDay: number | null;
}

/** The settings of a coach who never saved any: no hours, so no slots. */
export const DEFAULT_SLOT_SETTINGS: SlotSettings = {
  timeZone: 'UTC',
  weekly: [],
  overrides: [],
  maxSessionsPerDay: null,
};

/**
 * This process's copies of what every slots request needs and rarely changes: each coach's
 * availability and settings, and each active session type's slot rules (by slug).
 *
 * Every copy belongs to one scheduling version (a row in PostgreSQL that triggers bump on any
 * change to coach_settings or session_types, through any instance, job or psql session). The slot
 * path reads the version in the same statement as the busy time and hands it to `observe`: a newer
 * version drops every copy, and the request starts over with fresh ones. So a change shows on the
 * very next slots request on every instance, at no extra round trip.
 */
@Injectable()
export class SlotSettingsCache {
  private version = -1;
  private readonly types = new Map<string, SlotType>();
  private readonly settings = new Map<string, SlotSettings>();
  /** Whole active session types by slug (what booking needs), of the same version. */
  private readonly records = new Map<string, SessionTypeRecord>();
  private static readonly MAX_ENTRIES = 1000;

  /** The version the copies belong to (-1 before the first read). */
  get currentVersion(): number {
    return this.version;
  }

  /**
   * Tells the cache the version a read saw. Returns true when the copies are of that version
   * (usable); a newer version drops them all (false), an older one (a read that started before a
   * change) leaves them alone (false: that read's caller starts over).
   */
  observe(version: number): boolean {
    if (version > this.version) {
      this.types.clear();
      this.settings.clear();
      this.records.clear();
      this.version = version;
      return false;
    }
    return version === this.version;
  }

  type(slug: string): SlotType | undefined {
    return this.types.get(slug);
  }

  record(slug: string): SessionTypeRecord | undefined {
    return this.records.get(slug);
  }

  /** Keeps a whole session type read while the version was `version` (ignored if it moved on). */
  keepRecord(version: number, slug: string, record: SessionTypeRecord): void {
    if (version !== this.version || this.records.size >= SlotSettingsCache.MAX_ENTRIES) return;
    this.records.set(slug, record);
  }

  coachSettings(coachId: string): SlotSettings | undefined {
    return this.settings.get(coachId);
  }

  /** Keeps a copy read at `version` (ignored when the cache has moved on, or is full). */
  keep(version: number, coachId: string, s: SlotSettings, slug?: string, type?: SlotType): void {
    this.observe(version);
    if (version !== this.version) return;
    if (this.settings.size < SlotSettingsCache.MAX_ENTRIES) this.settings.set(coachId, s);
    if (slug && type && this.types.size < SlotSettingsCache.MAX_ENTRIES) this.types.set(slug, type);
  }
}
