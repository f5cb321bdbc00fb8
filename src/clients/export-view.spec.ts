import { exportView, labelFor } from './export-view';

describe('the readable export', () => {
  it('puts labels in words and times in the person’s zone', () => {
    const view = exportView(
      {
        generatedAt: '2026-12-01T10:00:00Z',
        account: {
          email: 'a@example.com',
          preferredName: 'Sam',
          createdAt: '2026-07-08T17:00:00Z',
          pronouns: null,
        },
        bookings: [
          { start: '2026-12-08T16:40:00Z', status: 'confirmed', intake: { goals: 'Rest' } },
        ],
        payments: [],
        program: {
          enrollment: { shareProgress: false },
          reflections: [{ step: 1, text: 'private words' }],
        },
      },
      'Europe/London',
    );
    expect(view.map((s) => s.label)).toEqual([
      'Your account',
      'Your sessions',
      'Your payments',
      'The 12 Steps',
    ]);
    expect(view[0].rows).toEqual([
      { label: 'Email', text: 'a@example.com' },
      { label: 'Preferred name', text: 'Sam' },
      { label: 'Created at', text: '8 Jul 2026, 18:00 BST' },
      { label: 'Pronouns', text: '—' },
    ]);
    expect(view[1].items![0]).toEqual([
      { label: 'Start', text: '8 Dec 2026, 16:40 GMT' },
      { label: 'Status', text: 'confirmed' },
      { label: 'Intake', rows: [{ label: 'Goals', text: 'Rest' }] },
    ]);
    expect(view[2]).toEqual({ label: 'Your payments', text: 'None' });
    expect(JSON.stringify(view[3])).toContain('private words');
    expect(JSON.stringify(view[3])).toContain('"text":"No"');
  });

  it('never prints a UTC clock time when the zone is unknown', () => {
    const [account] = exportView({ account: { createdAt: '2026-07-08T17:00:00Z' } }, null);
    expect(account.rows).toEqual([{ label: 'Created at', text: '8 July 2026' }]);
    expect(labelFor('shareProgressChosen')).toBe('Share progress chosen');
  });
});
