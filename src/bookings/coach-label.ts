/**
 * How pages and mails name the coach to her clients: the name she gave clients (booking
 * settings), else the practice's name (site settings) when she has set one, else "your coach" —
 * never her account's seeded placeholder ("Coach"). `sentenceStart` capitalises "Your coach" for
 * a line of its own (a mail's sign-off).
 */
const PLACEHOLDERS = /^(coach|your coach|your practice)$/i;

const real = (name: string | null | undefined): string | null => {
  const trimmed = name?.trim() ?? '';
  return trimmed && !PLACEHOLDERS.test(trimmed) ? trimmed : null;
};

export function coachLabel(
  displayName: string | null | undefined,
  practiceName?: string | null,
  sentenceStart = false,
): string {
  return real(displayName) ?? real(practiceName) ?? (sentenceStart ? 'Your coach' : 'your coach');
}
