import { IntakeQuestionDto, MeetingDto } from './dto/session-type.dto';
import { IntakeQuestion, MeetingKind } from './session-type.entity';

/**
 * The rules for a session type's meeting place and intake questions beyond what the DTO checks:
 * a value where the kind needs one (an https link, a phone number, an address), unique question
 * ids, options for a choice question. Pure; answers per-field problems (empty when fine).
 */
export function meetingProblems(m: MeetingDto | undefined): Record<string, string[]> {
  if (!m) return {};
  const value = m.value?.trim() ?? '';
  const needs: Partial<Record<MeetingKind, string>> = {
    fixed_link: 'meeting.value must be the video link (https://…)',
    phone: 'meeting.value must be the phone number',
    in_person: 'meeting.value must be the address',
  };
  const need = needs[m.kind];
  if (need && !value) return { 'meeting.value': [need] };
  if (m.kind === 'fixed_link') {
    if (!isWebLink(value)) return { 'meeting.value': [needs.fixed_link!] };
  }
  return {};
}

function isWebLink(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export function intakeQuestionProblems(
  qs: IntakeQuestionDto[] | undefined,
): Record<string, string[]> {
  if (!qs) return {};
  const problems: Record<string, string[]> = {};
  const seen = new Set<string>();
  qs.forEach((q, i) => {
    if (seen.has(q.id)) problems[`intakeQuestions.${i}.id`] = [`id "${q.id}" is used twice`];
    seen.add(q.id);
    if (q.kind === 'choice' && !(q.options && q.options.length))
      problems[`intakeQuestions.${i}.options`] = ['a choice question needs its options'];
  });
  return problems;
}

/** The entity columns for a validated meeting / question list (undefined: leave as is). */
export function extrasColumns(dto: {
  meeting?: MeetingDto;
  intakeQuestions?: IntakeQuestionDto[];
}): {
  meetingKind?: MeetingKind;
  meetingValue?: string | null;
  intakeQuestions?: IntakeQuestion[];
} {
  const out: {
    meetingKind?: MeetingKind;
    meetingValue?: string | null;
    intakeQuestions?: IntakeQuestion[];
  } = {};
  if (dto.meeting) {
    out.meetingKind = dto.meeting.kind;
    out.meetingValue =
      dto.meeting.kind === 'generated_video' || dto.meeting.kind === 'none'
        ? null
        : (dto.meeting.value?.trim() ?? null);
  }
  if (dto.intakeQuestions) {
    out.intakeQuestions = dto.intakeQuestions.map((q) => ({
      id: q.id,
      label: q.label.trim(),
      kind: q.kind,
      ...(q.kind === 'choice' ? { options: (q.options ?? []).map((o) => o.trim()) } : {}),
      required: q.required,
    }));
  }
  return out;
}

/**
 * The coach's page writes questions one per line: `id | Label | kind | required | A; B; C`
 * (kind: short_text, long_text, choice, checkbox; required or optional; options for a choice).
 */
export function parseQuestionLines(text: string): Record<string, unknown>[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [id = '', label = '', kind = 'short_text', required = 'optional', options = ''] = line
        .split('|')
        .map((p) => p.trim());
      const q: Record<string, unknown> = {
        id,
        label,
        kind,
        required: /^(required|yes|true)$/i.test(required),
      };
      if (kind === 'choice')
        q.options = options
          .split(';')
          .map((o) => o.trim())
          .filter(Boolean);
      return q;
    });
}

export function questionLines(qs: IntakeQuestion[]): string {
  return qs
    .map((q) =>
      [
        q.id,
        q.label,
        q.kind,
        q.required ? 'required' : 'optional',
        ...(q.kind === 'choice' ? [(q.options ?? []).join('; ')] : []),
      ].join(' | '),
    )
    .join('\n');
}
