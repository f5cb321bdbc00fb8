import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  startTestApp,
  TestApp,
} from '../support/app';

jest.setTimeout(60_000);

describe('Coach pages: meeting place and intake questions of a session type', () => {
  let t: TestApp;
  let session: string;

  beforeAll(async () => {
    t = await startTestApp({ workers: false });
    session = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });
  afterAll(async () => t?.close());

  const fields = {
    name: 'Deep dive',
    slug: 'deep-dive',
    description: '',
    durationMinutes: '90',
    price: '120.00',
    currency: 'usd',
    bufferBeforeMinutes: '0',
    bufferAfterMinutes: '15',
    minimumNoticeMinutes: '0',
    bookingWindowDays: '60',
    slotIntervalMinutes: '',
    location: 'Video call',
  };

  it('saves a generated room and questions from the form, shows them for editing, and names bad lines', async () => {
    const { cookie, csrf } = await pageForm(t, '/coach/session-types', session);
    const post = (extra: Record<string, string>) =>
      t
        .http()
        .post('/coach/session-types')
        .set('cookie', cookie)
        .type('form')
        .send({ ...fields, _csrf: csrf, ...extra });
    const badLink = await post({
      meetingKind: 'fixed_link',
      meetingValue: '',
      intakeQuestions: '',
    });
    expect(badLink.status).toBe(400);
    expect(badLink.text).toContain('Must be the video link'); // plain words beside the field (issue 15)
    const badQuestion = await post({
      meetingKind: 'none',
      meetingValue: '',
      intakeQuestions: 'ok | Fine | short_text | optional\npick | Pick one | choice | required',
    });
    expect(badQuestion.status).toBe(400);
    expect(badQuestion.text).toContain('Question 2 (options)');
    expect(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM session_types WHERE slug = 'deep-dive'`,
        )
      )[0].n,
    ).toBe(0);
    await t
      .http()
      .post('/coach/session-types')
      .set('cookie', cookie)
      .type('form')
      .send({
        ...fields,
        _csrf: csrf,
        meetingKind: 'generated_video',
        meetingValue: '',
        intakeQuestions:
          'why | What brings you? | long_text | required\nhow | How did you find me? | choice | optional | A friend; The blog',
      })
      .expect(303);
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const types = await t
      .http()
      .get('/api/session-types')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    const type = types.body.find((x: { slug: string }) => x.slug === 'deep-dive');
    expect(type.meeting).toEqual({ kind: 'generated_video' });
    expect(type.intakeQuestions).toEqual([
      { id: 'why', label: 'What brings you?', kind: 'long_text', required: true },
      {
        id: 'how',
        label: 'How did you find me?',
        kind: 'choice',
        options: ['A friend', 'The blog'],
        required: false,
      },
    ]);
    const edit = await t
      .http()
      .get(`/coach/session-types/${type.id}/edit`)
      .set('cookie', `mend_session=${session}`)
      .expect(200);
    expect(edit.text).toContain(
      'how | How did you find me? | choice | optional | A friend; The blog',
    );
    expect(edit.text).toMatch(/<option value="generated_video" selected>/);
  });
});
