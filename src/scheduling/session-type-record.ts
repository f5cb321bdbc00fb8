import type { SessionType } from './session-type.entity';

export type { IntakeKind, IntakeQuestion, MeetingKind } from './session-type.entity';

/**
 * A session type as other modules see it: read-only data handed out by SchedulingService, never
 * the entity class (only scheduling reads or writes the session_types table).
 */
export type SessionTypeRecord = Readonly<Omit<SessionType, 'coach'>>;
