import { signup, startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

describe("A member's own sessions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    await setUpCoach(t, 'talk', { name: 'Gentle talk', durationMinutes: 30 });
  });
  afterAll(async () => t?.close());

  it("lists only the member's bookings, on the API and on the page (with manage links)", async () => {
    const token = await signup(t, 'pat@example.com', 'Pat');
    const slots = (await openSlots(t, 'talk', dayFromNow(4))).map((s) => s.start);
    const mine = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', slots[0], 'pat@example.com'))
      .expect(201);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', slots[1], 'someone.else@example.com'))
      .expect(201);

    const api = await t
      .http()
      .get('/api/me/bookings')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(api.body).toHaveLength(1);
    expect(api.body[0]).toMatchObject({ id: mine.body.id });

    const page = await t
      .http()
      .get('/account/sessions')
      .set('cookie', `mend_session=${token}`)
      .expect(200);
    expect(page.text).toContain('Gentle talk');
    expect(page.text).toContain(`href="${mine.body.manageUrl}"`);
    expect(page.text).not.toContain('someone.else');

    const manage = await t
      .http()
      .get(new URL(mine.body.manageUrl).pathname + new URL(mine.body.manageUrl).search)
      .expect(200);
    expect(manage.text).toContain('Gentle talk');
  });

  it('sends a signed-out visitor to sign in', async () => {
    const res = await t.http().get('/account/sessions').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount%2Fsessions');
  });
});
