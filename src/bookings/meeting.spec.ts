import { IntakeQuestion } from '../scheduling/session-type-record';
import { checkIntake, meetingInfo, newMeetingRoom } from './meeting';

const QS: IntakeQuestion[] = [
  { id: 'why', label: 'Why now?', kind: 'long_text', required: true },
  { id: 'nick', label: 'Nickname', kind: 'short_text', required: false },
  { id: 'pick', label: 'Pick', kind: 'choice', options: ['A', 'B'], required: false },
  { id: 'ok', label: 'OK?', kind: 'checkbox', required: true },
];

describe('checkIntake', () => {
  it('accepts good answers, trims them and reads checkboxes as yes', () => {
    expect(checkIntake(QS, { why: '  because ', pick: 'B', ok: true })).toEqual({
      problems: {},
      clean: { why: 'because', pick: 'B', ok: 'yes' },
    });
    expect(checkIntake(QS, { why: 'x', ok: 'on' }).clean.ok).toBe('yes');
  });

  it('names each bad field: missing required, not a choice, too long, unknown, not text', () => {
    const { problems } = checkIntake(QS, {
      pick: 'C',
      nick: 'n'.repeat(2001),
      extra: 'x',
      ok: false,
    });
    expect(Object.keys(problems).sort()).toEqual([
      'intake.extra',
      'intake.nick',
      'intake.ok',
      'intake.pick',
      'intake.why',
    ]);
    expect(
      checkIntake(QS, { why: ['a'] as unknown as string, ok: true }).problems['intake.why'],
    ).toEqual(['intake.why must be text']);
    // Exactly 2 000 characters is fine.
    expect(checkIntake(QS, { why: 'w'.repeat(2000), ok: true }).problems).toEqual({});
  });

  it('without questions, only no answers is valid', () => {
    expect(checkIntake([], undefined)).toEqual({ problems: {}, clean: {} });
    expect(Object.keys(checkIntake([], { a: 'b' }).problems)).toEqual(['intake.a']);
  });
});

describe('meeting rooms', () => {
  it('gives each booking a room with 128 random bits under the base URL', () => {
    const rooms = new Set(
      Array.from({ length: 1000 }, () => newMeetingRoom('https://meet.jit.si/')),
    );
    expect(rooms.size).toBe(1000);
    for (const r of rooms) expect(r).toMatch(/^https:\/\/meet\.jit\.si\/mend-[0-9a-f]{32}$/);
  });

  it('describes where the session happens per kind', () => {
    expect(meetingInfo({ meetingKind: 'none', meetingValue: null }, null)).toBeNull();
    expect(meetingInfo({ meetingKind: 'generated_video', meetingValue: null }, null)).toBeNull();
    expect(
      meetingInfo({ meetingKind: 'generated_video', meetingValue: null }, 'https://x/r'),
    ).toEqual({
      kind: 'generated_video',
      label: 'Video call',
      location: 'https://x/r',
      url: 'https://x/r',
    });
    expect(meetingInfo({ meetingKind: 'in_person', meetingValue: '1 Lane' }, null)).toMatchObject({
      location: '1 Lane',
      url: null,
    });
    expect(meetingInfo({ meetingKind: 'phone', meetingValue: '+44 1' }, null)).toMatchObject({
      label: 'Phone',
      url: null,
    });
  });
});
