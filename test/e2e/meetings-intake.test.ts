import { signup, startTestApp, TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(90_000);

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const ROOM = /^https:\/\/meet\.jit\.si\/mend-[0-9a-f]{32}$/;

const QUESTIONS = [
  { id: 'what-brings-you', label: 'What brings you here?', kind: 'long_text', required: true },
  { id: 'pronouns', label: 'Your pronouns', kind: 'short_text', required: false },
  {
    id: 'first-time',
    label: 'Is this your first time with a coach?',
    kind: 'choice',
    options: ['Yes', 'No', 'Not sure'],
    required: true,
  },
  {
    id: 'consent',
    label: 'I understand coaching is not therapy',
    kind: 'checkbox',
    required: true,
  },
];
const GOOD = {
  'what-brings-you': 'I want to repair things with my sister.',
  'first-time': 'Yes',
  consent: true,
};

describe('Meeting places and intake questions', () => {
  let t: TestApp;
  let coach: string;
  const mail = new MailCatcher();
  const auth = () => ({ authorization: `Bearer ${coach}` });

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' } });
    coach = await setUpCoach(t, 'video-intake', {
      meeting: { kind: 'generated_video' },
      intakeQuestions: QUESTIONS,
    });
    await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({
        name: 'Walk and talk',
        slug: 'walk',
        durationMinutes: 60,
        minimumNoticeMinutes: 0,
        bookingWindowDays: 365,
        meeting: { kind: 'in_person', value: '12 Quiet Lane, Hebden Bridge' },
      })
      .expect(201);
    await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({
        name: 'Zoom',
        slug: 'zoom',
        durationMinutes: 30,
        minimumNoticeMinutes: 0,
        bookingWindowDays: 365,
        meeting: { kind: 'fixed_link', value: 'https://zoom.example/j/secret-room-123' },
      })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('validates meeting places and questions on session types', async () => {
    const base = { name: 'X', durationMinutes: 30 };
    const cases: [Record<string, unknown>, string][] = [
      [{ slug: 'x1', meeting: { kind: 'fixed_link' } }, 'meeting.value'],
      [
        { slug: 'x2', meeting: { kind: 'fixed_link', value: 'javascript:alert(1)' } },
        'meeting.value',
      ],
      [{ slug: 'x3', meeting: { kind: 'in_person', value: '  ' } }, 'meeting.value'],
      [{ slug: 'x4', meeting: { kind: 'teleport' } }, 'meeting.kind'],
      [
        {
          slug: 'x5',
          intakeQuestions: Array.from({ length: 11 }, (_, i) => ({
            id: `q${i}`,
            label: 'Q',
            kind: 'short_text',
            required: false,
          })),
        },
        'intakeQuestions',
      ],
      [{ slug: 'x6', intakeQuestions: [QUESTIONS[0], QUESTIONS[0]] }, 'intakeQuestions.1.id'],
      [
        {
          slug: 'x7',
          intakeQuestions: [{ id: 'c', label: 'Pick', kind: 'choice', required: true }],
        },
        'intakeQuestions.0.options',
      ],
      [
        {
          slug: 'x8',
          intakeQuestions: [{ id: 'Not A Slug', label: 'Q', kind: 'short_text', required: true }],
        },
        'intakeQuestions.0.id',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await t
        .http()
        .post('/api/session-types')
        .set(auth())
        .send({ ...base, ...body })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.details)).toContain(field);
    }
  });

  it('shows questions publicly but never the meeting link or address', async () => {
    const pub = await t.http().get('/api/session-types').expect(200);
    const text = JSON.stringify(pub.body);
    expect(text).not.toContain('secret-room-123');
    expect(text).not.toContain('Quiet Lane');
    const type = pub.body.find((s: { slug: string }) => s.slug === 'video-intake');
    expect(type.meeting).toEqual({ kind: 'generated_video' });
    expect(type.intakeQuestions).toHaveLength(4);
    const mine = await t.http().get('/api/session-types').set(auth()).expect(200);
    expect(mine.body.find((s: { slug: string }) => s.slug === 'zoom').meeting).toEqual({
      kind: 'fixed_link',
      value: 'https://zoom.example/j/secret-room-123',
    });
    for (const path of ['/book', '/book/zoom', '/book/walk', '/book/video-intake']) {
      const page = await t.http().get(path).expect(200);
      expect(page.text).not.toContain('secret-room-123');
      expect(page.text).not.toContain('Quiet Lane');
    }
  });

  it('rejects bad intake answers with 400 naming the field, and books nothing', async () => {
    const [s] = await openSlots(t, 'video-intake', dayFromNow(3));
    const cases: [Record<string, unknown>, string][] = [
      [{ 'first-time': 'Yes', consent: true }, 'intake.what-brings-you'],
      [{ ...GOOD, 'first-time': 'Maybe later' }, 'intake.first-time'],
      [{ ...GOOD, 'what-brings-you': 'x'.repeat(2001) }, 'intake.what-brings-you'],
      [{ ...GOOD, consent: false }, 'intake.consent'],
      [{ ...GOOD, admin: 'yes' }, 'intake.admin'],
      [{ ...GOOD, pronouns: { nested: true } }, 'intake.pronouns'],
    ];
    for (const [intake, field] of cases) {
      const res = await t
        .http()
        .post('/api/bookings')
        .send(bookingBody('video-intake', s.start, 'bad-intake@example.com', { intake }))
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.details)).toContain(field);
    }
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM bookings WHERE client_email = 'bad-intake@example.com'`,
    );
    expect(count).toBe(0);
  });

  it('gives each booking its own unguessable room: in the mail, the .ics, the token GET and the coach list, never the create answer', async () => {
    const [a, b] = await openSlots(t, 'video-intake', dayFromNow(4));
    const created = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('video-intake', a.start, 'room@example.com', { intake: GOOD }))
      .expect(201);
    expect(created.body.meetingUrl).toBeUndefined();
    const token = new URL(created.body.manageUrl).searchParams.get('token')!;
    const got = await t.http().get(`/api/bookings/${created.body.id}?token=${token}`).expect(200);
    expect(got.body.meetingUrl).toMatch(ROOM);
    expect(got.body.intake).toEqual({
      'what-brings-you': GOOD['what-brings-you'],
      'first-time': 'Yes',
      consent: 'yes',
    });
    const room = got.body.meetingUrl as string;
    const otherTokenGuess = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    // Without the token: nothing.
    await t.http().get(`/api/bookings/${created.body.id}`).expect(404);
    await t.http().get(`/api/bookings/${created.body.id}?token=${otherTokenGuess}`).expect(404);

    const other = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('video-intake', b.start, 'room2@example.com', { intake: GOOD }))
      .expect(201);
    const otherToken = new URL(other.body.manageUrl).searchParams.get('token')!;
    const otherRoom = (
      await t.http().get(`/api/bookings/${other.body.id}?token=${otherToken}`).expect(200)
    ).body.meetingUrl;
    expect(otherRoom).toMatch(ROOM);
    expect(otherRoom).not.toBe(room);

    const confirmation = await mail.waitFor(
      (m) => m.to.includes('room@example.com') && /^Booked/.test(m.subject),
    );
    expect(confirmation.text).toContain(room);
    const ics = unfold(
      confirmation.attachments.find((x) => /calendar/.test(x.contentType))!.content,
    );
    expect(ics).toContain(`LOCATION:${room}`);
    expect(ics).toMatch(new RegExp(`\r\nURL(;VALUE=URI)?:${room.replace(/[.]/g, '\\.')}\r\n`));
    const icsApi = await t
      .http()
      .get(`/api/bookings/${created.body.id}/ics?token=${token}`)
      .expect(200);
    expect(unfold(icsApi.text)).toMatch(
      new RegExp(`\r\nURL(;VALUE=URI)?:${room.replace(/[.]/g, '\\.')}\r\n`),
    );

    const list = await t.http().get('/api/bookings').set(auth()).expect(200);
    expect(list.body.find((x: { id: string }) => x.id === created.body.id).meetingUrl).toBe(room);
    const manage = await t.http().get(`/bookings/manage?token=${token}&booked=1`).expect(200);
    expect(manage.text).toContain(room);
    expect(manage.text).toContain('calendar.google.com/calendar/render');
    expect(manage.text).toContain('outlook.live.com');
    expect(manage.text).toContain('What brings you here?');
    // The public slots and pages never carry it.
    const slotsText = JSON.stringify(
      (
        await t
          .http()
          .get(`/api/session-types/video-intake/slots?from=${dayFromNow(4)}&to=${dayFromNow(4)}`)
          .expect(200)
      ).body,
    );
    expect(slotsText).not.toContain('mend-');
  });

  it('puts an in-person address in the .ics LOCATION and the mail, and shows intake in the client’s export', async () => {
    const [s] = await openSlots(t, 'walk', dayFromNow(5));
    const email = 'walker@example.com';
    const member = await signup(t, email, 'Wanda Walker');
    const created = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('walk', s.start, email))
      .expect(201);
    const m = await mail.waitFor((x) => x.to.includes(email) && /^Booked/.test(x.subject));
    expect(m.text).toContain('Where: In person, 12 Quiet Lane, Hebden Bridge');
    expect(unfold(m.attachments.find((x) => /calendar/.test(x.contentType))!.content)).toContain(
      'LOCATION:12 Quiet Lane\\, Hebden Bridge',
    );
    const [v] = await openSlots(t, 'video-intake', dayFromNow(6));
    await t
      .http()
      .post('/api/bookings')
      .set({ authorization: `Bearer ${member}` })
      .send(bookingBody('video-intake', v.start, email, { intake: GOOD }))
      .expect(201);
    const exported = await t
      .http()
      .get('/api/me/export')
      .set({ authorization: `Bearer ${member}` })
      .expect(200);
    const text = JSON.stringify(exported.body);
    expect(text).toContain('I want to repair things with my sister.');
    expect(text).toContain('What brings you here?');
    expect(created.body.id).toBeDefined();
  });
});
