import { randomBytes } from 'node:crypto';
import { IntakeQuestion, MeetingKind } from '../scheduling/session-type-record';

/** Where a booked session happens, as the client and the coach see it (never on public pages). */
export interface MeetingInfo {
  kind: Exclude<MeetingKind, 'none'>;
  /** "Video call", "Phone", "In person". */
  label: string;
  /** What goes in the .ics LOCATION and after "Where:" in mails: the link, number or address. */
  location: string;
  /** A link to open (video rooms); null for a phone number or an address. */
  url: string | null;
}

/** A private video room: the base URL plus 128 random bits (hex, safe in any room name). */
export function newMeetingRoom(baseUrl: string): string {
  return `${baseUrl}mend-${randomBytes(16).toString('hex')}`;
}

export function meetingInfo(
  type: { meetingKind: MeetingKind; meetingValue: string | null },
  bookingMeetingUrl: string | null,
): MeetingInfo | null {
  switch (type.meetingKind) {
    case 'generated_video':
      return bookingMeetingUrl
        ? {
            kind: 'generated_video',
            label: 'Video call',
            location: bookingMeetingUrl,
            url: bookingMeetingUrl,
          }
        : null;
    case 'fixed_link':
      return type.meetingValue
        ? {
            kind: 'fixed_link',
            label: 'Video call',
            location: type.meetingValue,
            url: type.meetingValue,
          }
        : null;
    case 'phone':
      return type.meetingValue
        ? { kind: 'phone', label: 'Phone', location: type.meetingValue, url: null }
        : null;
    case 'in_person':
      return type.meetingValue
        ? { kind: 'in_person', label: 'In person', location: type.meetingValue, url: null }
        : null;
    default:
      return null;
  }
}

/**
 * Checks intake answers against the session type's questions (SPEC): required ones present,
 * choices among the options, each answer ≤ 2 000 characters, no answers to questions that don't
 * exist. Returns per-field problems (`intake.<id>`) and the cleaned answers.
 */
export function checkIntake(
  questions: IntakeQuestion[],
  answers: Record<string, unknown> | undefined,
): { problems: Record<string, string[]>; clean: Record<string, string> } {
  const problems: Record<string, string[]> = {};
  const clean: Record<string, string> = {};
  const given = answers ?? {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) problems[`intake.${key.slice(0, 60)}`] = ['there is no such question'];
  }
  for (const q of questions) {
    const raw = given[q.id];
    const field = `intake.${q.id}`;
    if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'boolean') {
      problems[field] = [`${field} must be text`];
      continue;
    }
    let value = raw === undefined || raw === null ? '' : String(raw).trim();
    if (q.kind === 'checkbox')
      value = ['true', 'on', 'yes', '1'].includes(value.toLowerCase()) ? 'yes' : '';
    if (value.length > 2000) {
      problems[field] = [`${field} must be at most 2000 characters`];
      continue;
    }
    if (!value) {
      if (q.required) problems[field] = [`${field} is required`];
      continue;
    }
    if (q.kind === 'choice' && !(q.options ?? []).includes(value)) {
      problems[field] = [`${field} must be one of the choices`];
      continue;
    }
    clean[q.id] = value;
  }
  return { problems, clean };
}
