import { pageForm, startTestApp, TestApp } from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/**
 * One money module: the coach types major units in every form, and a zero-decimal currency (JPY)
 * means the same amount on the page, in the mail and in the Checkout Session Stripe receives.
 */
describe('Money in major units, JPY included', () => {
  const fake = new FakeStripe();
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { ...fake.env(), RATE_LIMIT_PER_MINUTE: '100000' } });
    coach = await setUpCoach(t, 'warm-up');
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  const fields = {
    name: 'Tokyo session',
    slug: 'tokyo',
    description: '',
    durationMinutes: '60',
    currency: 'jpy',
    bufferBeforeMinutes: '0',
    bufferAfterMinutes: '0',
    minimumNoticeMinutes: '0',
    bookingWindowDays: '365',
    slotIntervalMinutes: '',
    location: '',
  };

  it('refuses a fraction of a yen in plain words, keeping what was typed', async () => {
    const { cookie, csrf } = await pageForm(t, '/coach/session-types', coach);
    const bad = await t
      .http()
      .post('/coach/session-types')
      .set('cookie', cookie)
      .type('form')
      .send({ ...fields, price: '5000.50', _csrf: csrf })
      .expect(400);
    expect(bad.text).toContain('JPY has no smaller unit');
    expect(bad.text).toContain('value="5000.50"');
    const none = (await t.http().get('/api/session-types').expect(200)).body.filter(
      (x: { slug: string }) => x.slug === 'tokyo',
    );
    expect(none).toEqual([]);
  });

  it('¥5000 typed in the form is 5000 in the API, "¥5,000" on the page and in the mail, and 5000 jpy at Stripe', async () => {
    const { cookie, csrf } = await pageForm(t, '/coach/session-types', coach);
    await t
      .http()
      .post('/coach/session-types')
      .set('cookie', cookie)
      .type('form')
      .send({ ...fields, price: '5000', _csrf: csrf })
      .expect(303);
    const type = (await t.http().get('/api/session-types').expect(200)).body.find(
      (x: { slug: string }) => x.slug === 'tokyo',
    );
    expect(type).toMatchObject({ price: 5000, currency: 'jpy' });

    const edit = await t
      .http()
      .get(`/coach/session-types/${type.id}/edit`)
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(edit.text).toContain('value="5000"');
    const page = await t.http().get('/book/tokyo').expect(200);
    expect(page.text).toContain('¥5,000');
    expect(page.text).not.toContain('¥50.00');

    const [slot] = await openSlots(t, 'tokyo', dayFromNow(3));
    const booked = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('tokyo', slot.start, 'yen@example.com'))
      .expect(201);
    expect(booked.body).toMatchObject({ status: 'pending_payment', price: 5000, currency: 'jpy' });
    const [create] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(create.body).toMatchObject({
      line_items: { 0: { price_data: { currency: 'jpy', unit_amount: '5000' } } },
    });

    const [payment] = await t.dataSource.query(
      `SELECT checkout_session_id FROM payments WHERE reference_id = $1`,
      [booked.body.id],
    );
    await send(t.http, fake.completeSession(payment.checkout_session_id)).expect(200);
    const [receipt] = await t.dataSource.query(
      `SELECT subject, text FROM mail_outbox WHERE kind = 'payment_receipt' AND to_address = 'yen@example.com'`,
    );
    expect(receipt.text).toContain('Amount: ¥5,000');
    expect(receipt.subject).toContain('¥5,000');
  });

  it('the program editor takes the price as money too', async () => {
    const { cookie, csrf } = await pageForm(t, '/coach/program', coach);
    const program = (await t.http().get('/api/program').expect(200)).body;
    const body = {
      _csrf: csrf,
      title: program.title,
      description: program.description,
      currency: 'usd',
      dripDays: String(program.dripDays),
    };
    const bad = await t
      .http()
      .post('/coach/program')
      .set('cookie', cookie)
      .type('form')
      .send({ ...body, price: '199.999' })
      .expect(400);
    expect(bad.text).toContain('at most 2 decimal places');
    await t
      .http()
      .post('/coach/program')
      .set('cookie', cookie)
      .type('form')
      .send({ ...body, price: '249.50' })
      .expect(303);
    expect((await t.http().get('/api/program').expect(200)).body).toMatchObject({
      price: 24950,
      currency: 'usd',
    });
    const page = await t
      .http()
      .get('/coach/program')
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(page.text).toContain('value="249.50"');
  });
});
