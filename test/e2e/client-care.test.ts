import { COACH_EMAIL, pageForm, signup, startTestApp, TestApp } from '../support/app';
import { getAs, postForm } from '../support/forms';
import { MailCatcher } from '../support/mail-catcher';
import { dayFromNow, openSlots, postBooking, setUpCoach } from '../support/scheduling';

/**
 * Issue 16: the audit trail, preferred names and pronouns, deletion that says its scope, and
 * progress sharing that is asked for, not assumed (SPEC: Clients and data rights; the 12 Steps).
 */
describe('Client care: audit trail, names, consent, deletion scope', () => {
  const mail = new MailCatcher();
  let t: TestApp;
  let coach: string;
  let slots: string[];
  let next = 0;
  const slot = () => slots[next++];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** Books a "talk" session through the public API. */
  const book = (start: string, email: string, extra: Record<string, unknown> = {}) =>
    postBooking(t, 'talk', start, email, extra);
  const userId = async (email: string): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email]))[0].id;

  async function member(
    email: string,
    name: string,
    extra: Record<string, string> = {},
  ): Promise<{ token: string; enrollmentId: string; id: string }> {
    const res = await t
      .http()
      .post('/api/auth/signup')
      .send({ email, password: 'a-long-password', name, ...extra })
      .expect(201);
    const granted = await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email })
      .expect(201);
    return { token: res.body.token, enrollmentId: granted.body.id, id: res.body.user.id };
  }

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' } });
    coach = await setUpCoach(t, 'talk', { durationMinutes: 30 });
    slots = [
      ...(await openSlots(t, 'talk', dayFromNow(4))),
      ...(await openSlots(t, 'talk', dayFromNow(5))),
    ].map((s) => s.start);
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  describe('the audit trail', () => {
    it('records the coach reading a note and a shared reflection, with ids and the request id, never the text', async () => {
      const m = await member('audited@example.com', 'Aud Ited');
      const noteText = 'Talked about the winter at her father’s house';
      const reflectionText = 'I forgave myself a little today';
      await t
        .http()
        .post(`/api/clients/${m.id}/notes`)
        .set(bearer(coach))
        .send({ text: noteText })
        .expect(201);
      await t
        .http()
        .put('/api/me/program/steps/1/reflection')
        .set(bearer(m.token))
        .send({ text: reflectionText, sharedWithCoach: true })
        .expect(200);

      await t
        .http()
        .get(`/api/clients/${m.id}/notes`)
        .set(bearer(coach))
        .set('x-request-id', 'req-notes-1')
        .expect(200);
      const read = await t
        .http()
        .get(`/api/program/enrollments/${m.enrollmentId}/reflections`)
        .set(bearer(coach))
        .set('x-request-id', 'req-refl-1')
        .expect(200);
      expect(read.body.map((r: { text: string }) => r.text)).toEqual([reflectionText]);

      const audit = await t.http().get('/api/audit?limit=10').set(bearer(coach)).expect(200);
      const coachId = await userId(COACH_EMAIL);
      expect(audit.body.slice(0, 2)).toEqual([
        {
          id: expect.any(String),
          at: expect.any(String),
          actor: { id: coachId, role: 'coach' },
          action: 'shared_reflections.read',
          subjectType: 'enrollment',
          subjectId: m.enrollmentId,
          requestId: 'req-refl-1',
        },
        {
          id: expect.any(String),
          at: expect.any(String),
          actor: { id: coachId, role: 'coach' },
          action: 'client_notes.read',
          subjectType: 'client',
          subjectId: m.id,
          requestId: 'req-notes-1',
        },
      ]);
      // Newest first, and never any text: not in the answer, not in the table.
      expect(Number(audit.body[0].id)).toBeGreaterThan(Number(audit.body[1].id));
      const everything =
        JSON.stringify(audit.body) +
        JSON.stringify(await t.dataSource.query(`SELECT * FROM audit_events`));
      for (const secret of [noteText, reflectionText, 'audited@example.com', 'Aud Ited'])
        expect(everything).not.toContain(secret);

      // Reading through the pages is recorded too (with the request id Fastify and the logs use).
      await t
        .http()
        .get(`/coach/clients/${m.id}`)
        .set('cookie', `mend_session=${coach}`)
        .set('x-request-id', 'req-page-1')
        .expect(200);
      await t
        .http()
        .get(`/coach/members/${m.enrollmentId}`)
        .set('cookie', `mend_session=${coach}`)
        .set('x-request-id', 'req-page-2')
        .expect(200);
      const after = await t.http().get('/api/audit?limit=2').set(bearer(coach)).expect(200);
      expect(
        after.body.map((e: { action: string; requestId: string }) => [e.action, e.requestId]),
      ).toEqual([
        ['shared_reflections.read', 'req-page-2'],
        ['client_notes.read', 'req-page-1'],
      ]);

      // The coach's page lists them in words, by the person's name, without the text.
      const page = await getAs(t, coach, '/coach/audit');
      expect(page.text).toContain('read the private notes about a client');
      expect(page.text).toContain('read a member’s shared reflections');
      expect(page.text).toContain('Aud Ited');
      expect(page.text).not.toContain(noteText);
    });

    it('lists the entries about a member in their own export, and nobody else’s', async () => {
      const m = await member('exporter@example.com', 'Ex Porter');
      const other = await member('bystander@example.com', 'By Stander');
      await t
        .http()
        .put('/api/me/program/steps/1/reflection')
        .set(bearer(m.token))
        .send({ text: 'Mine', sharedWithCoach: true })
        .expect(200);
      await t.http().get(`/api/clients/${m.id}/notes`).set(bearer(coach)).expect(200);
      await t
        .http()
        .get(`/api/program/enrollments/${m.enrollmentId}/reflections`)
        .set(bearer(coach))
        .expect(200);
      await t.http().get(`/api/clients/${other.id}/notes`).set(bearer(coach)).expect(200);

      const exported = await t
        .http()
        .get('/api/me/export')
        .set(bearer(m.token))
        .set('x-request-id', 'req-export-1')
        .expect(200);
      const actions = exported.body.audit.map((e: { action: string; subjectId: string }) => [
        e.action,
        e.subjectId,
      ]);
      expect(actions).toEqual([
        ['client_notes.read', m.id],
        ['shared_reflections.read', m.enrollmentId],
        ['data.exported', m.id],
      ]);
      expect(exported.body.audit[2]).toMatchObject({
        actor: { id: m.id, role: 'client' },
        requestId: 'req-export-1',
      });
      expect(JSON.stringify(exported.body.audit)).not.toContain(other.id);
      expect(exported.body.account).toMatchObject({
        email: 'exporter@example.com',
        preferredName: null,
        pronouns: null,
      });
    });

    it('is the coach’s alone: a client token gets 403, none 401; it pages with ?before and refuses bad input', async () => {
      const client = await signup(t, 'nosy@example.com', 'Nosy');
      await t.http().get('/api/audit').set(bearer(client)).expect(403);
      await t.http().get('/api/audit').expect(401);
      const page = await t.http().get('/coach/audit').set('cookie', `mend_session=${client}`);
      expect(page.status).toBe(403);
      // Nor can a client read notes or reflections of anyone.
      const someone = await userId('audited@example.com');
      await t.http().get(`/api/clients/${someone}/notes`).set(bearer(client)).expect(403);
      await t.http().get(`/api/clients/${someone}`).set(bearer(client)).expect(403);

      const first = await t.http().get('/api/audit?limit=2').set(bearer(coach)).expect(200);
      expect(first.body).toHaveLength(2);
      const older = await t
        .http()
        .get(`/api/audit?limit=2&before=${first.body[1].id}`)
        .set(bearer(coach))
        .expect(200);
      expect(older.body.length).toBeGreaterThan(0);
      for (const e of older.body) expect(Number(e.id)).toBeLessThan(Number(first.body[1].id));
      for (const q of [
        'limit=0',
        'limit=201',
        'limit=abc',
        'before=abc',
        'before=-1',
        'before=1;DROP',
        'extra=1',
      ]) {
        const res = await t.http().get(`/api/audit?${q}`).set(bearer(coach)).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('survives every attempt to change or remove it, even by the app’s own database role', async () => {
      const before: { id: string; action: string }[] = await t.dataSource.query(
        `SELECT id::text AS id, action FROM audit_events ORDER BY id`,
      );
      expect(before.length).toBeGreaterThan(3);
      await expect(
        t.dataSource.query(`UPDATE audit_events SET subject_id = 'tampered'`),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.dataSource.query(`UPDATE audit_events SET actor_id = NULL WHERE id = $1`, [before[0].id]),
      ).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      await expect(
        t.dataSource.query(`DELETE FROM audit_events WHERE id = $1`, [before[0].id]),
      ).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
      // Also inside a transaction that does something else first: the whole transaction fails.
      await expect(
        t.dataSource.transaction(async (m) => {
          await m.query(`SELECT 1`);
          await m.query(`DELETE FROM audit_events WHERE action = 'client_notes.read'`);
        }),
      ).rejects.toThrow(/append-only/);
      const after: { id: string; action: string }[] = await t.dataSource.query(
        `SELECT id::text AS id, action FROM audit_events ORDER BY id`,
      );
      expect(after).toEqual(before);
      // The role the app connects as holds no UPDATE/DELETE/TRUNCATE privilege on it either (a superuser ignores that; the trigger holds anyway).
      const [privs] = await t.dataSource.query(
        `SELECT has_table_privilege(current_user, 'audit_events', 'INSERT') AS can_insert,
                (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
                has_table_privilege(current_user, 'audit_events', 'DELETE') AS can_delete`,
      );
      expect(privs.can_insert).toBe(true);
      if (!privs.superuser) expect(privs.can_delete).toBe(false);
    });
  });

  describe('names and pronouns', () => {
    it('takes a preferred name and pronouns at sign-up and with PATCH /api/me, and GET /api/me shows them', async () => {
      const res = await t
        .http()
        .post('/api/auth/signup')
        .send({
          email: 'samantha@example.com',
          password: 'a-long-password',
          name: 'Samantha Rivera',
          preferredName: 'Sam',
          pronouns: 'they/them',
        })
        .expect(201);
      expect(res.body.user).toMatchObject({
        name: 'Samantha Rivera',
        preferredName: 'Sam',
        pronouns: 'they/them',
      });
      const token = res.body.token;
      const patched = await t
        .http()
        .patch('/api/me')
        .set(bearer(token))
        .send({ pronouns: 'she/they', timeZone: 'Europe/Lisbon' })
        .expect(200);
      expect(patched.body).toMatchObject({
        name: 'Samantha Rivera',
        preferredName: 'Sam',
        pronouns: 'she/they',
        timeZone: 'Europe/Lisbon',
        role: 'client',
      });
      const me = await t.http().get('/api/me').set(bearer(token)).expect(200);
      expect(me.body).toEqual({
        id: expect.any(String),
        email: 'samantha@example.com',
        name: 'Samantha Rivera',
        preferredName: 'Sam',
        pronouns: 'she/they',
        timeZone: 'Europe/Lisbon',
        role: 'client',
      });
      // Clearing: empty string or null.
      const cleared = await t
        .http()
        .patch('/api/me')
        .set(bearer(token))
        .send({ preferredName: '', pronouns: null })
        .expect(200);
      expect(cleared.body).toMatchObject({
        preferredName: null,
        pronouns: null,
        name: 'Samantha Rivera',
      });
      await t.http().patch('/api/me').set(bearer(token)).send({ preferredName: 'Sam' }).expect(200);
    });

    it('refuses bad profile input: unknown fields, a blank name, line breaks, bad zones, too long; 401 without a token', async () => {
      const token = await signup(t, 'picky@example.com', 'Picky');
      const cases: [Record<string, unknown>, string][] = [
        [{ role: 'coach' }, 'role'],
        [{ name: '' }, 'name'],
        [{ name: null }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ preferredName: 'Sam\r\nBcc: x@example.com' }, 'preferredName'],
        [{ pronouns: 'she\u0000her' }, 'pronouns'],
        [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
        [{ preferredName: 'x'.repeat(81) }, 'preferredName'],
        [{ pronouns: 'x'.repeat(41) }, 'pronouns'],
        [{ preferredName: 42 }, 'preferredName'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http().patch('/api/me').set(bearer(token)).send(body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(Object.keys(res.body.details)).toContain(field);
      }
      const me = await t.http().get('/api/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({ name: 'Picky', preferredName: null, role: 'client' });
      await t.http().patch('/api/me').send({ preferredName: 'X' }).expect(401);
      await t
        .http()
        .post('/api/auth/signup')
        .send({
          email: 'multi@example.com',
          password: 'a-long-password',
          name: 'M',
          preferredName: 'a\nb',
        })
        .expect(400);
    });

    it('addresses people by their preferred name on the coach’s pages and in mail; markup stays text everywhere', async () => {
      const marked = '<b>Sky</b><script>alert(1)</script>';
      const m = await member('sky@example.com', 'Skylar Example', {
        preferredName: marked,
        pronouns: 'she/her',
      });
      // The welcome mail greets the preferred name, as plain text.
      const welcome = await mail.waitFor(
        (x) => x.to.includes('sky@example.com') && /Welcome/.test(x.subject),
      );
      expect(welcome.text).toContain(`Hello ${marked},`);
      expect(welcome.raw).not.toMatch(/text\/html/);

      const clients = await getAs(t, coach, '/coach/clients');
      expect(clients.text).toContain('&lt;b&gt;Sky&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(clients.text).not.toContain('<script>alert(1)');
      expect(clients.text).toContain('(she/her)');
      const detail = await getAs(t, coach, `/coach/clients/${m.id}`);
      expect(detail.text).toContain('<h1>&lt;b&gt;Sky&lt;/b&gt;');
      expect(detail.text).toContain('Skylar Example');
      expect(detail.text).not.toContain('<b>Sky</b>');
      const members = await getAs(t, coach, '/coach/members');
      expect(members.text).toContain('&lt;b&gt;Sky&lt;/b&gt;');
      expect(members.text).not.toContain('<b>Sky</b>');
      const api = await t.http().get(`/api/clients/${m.id}`).set(bearer(coach)).expect(200);
      expect(api.body.profile).toMatchObject({
        name: 'Skylar Example',
        preferredName: marked,
        pronouns: 'she/her',
        displayName: marked,
      });
      // Her own pages greet her by it too (escaped).
      const account = await getAs(t, m.token, '/account');
      expect(account.text).toContain('value="&lt;b&gt;Sky&lt;/b&gt;');
      expect(account.text).not.toContain('<b>Sky</b>');
    });

    it('takes them at first booking: the confirmation, the coach’s notice, her .ics and her sessions page use them', async () => {
      const start = slot();
      await book(start, 'river@example.com', {
        name: 'Rivera Jones',
        preferredName: 'Riv <i>',
        pronouns: 'he/him',
      }).expect(201);
      const confirmation = await mail.waitFor(
        (x) => x.to.includes('river@example.com') && /^Booked/.test(x.subject),
      );
      expect(confirmation.text).toMatch(/^Hello Riv <i>,/);
      const notice = await mail.waitFor(
        (x) => x.to.includes(COACH_EMAIL) && x.subject.startsWith('New booking: Riv <i> (he/him)'),
      );
      expect(notice.text).toContain('Riv <i> (he/him) <river@example.com> booked');
      const ics = notice.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      expect(ics?.content).toMatch(/SUMMARY:Type talk with Riv <i> \(he\/him\)/);
      const sessions = await getAs(t, coach, '/coach/sessions');
      expect(sessions.text).toContain('Riv &lt;i&gt; <span class="muted">(he/him)</span>');
      expect(sessions.text).not.toContain('Riv <i>');
      // A later booking can't change what the person has already given…
      await book(slot(), 'river@example.com', {
        name: 'Rivera Jones',
        preferredName: 'Someone else',
      }).expect(201);
      const [row] = await t.dataSource.query(
        `SELECT preferred_name, pronouns FROM users WHERE email = 'river@example.com'`,
      );
      expect(row).toEqual({ preferred_name: 'Riv <i>', pronouns: 'he/him' });
      // …and a booking form can never set an account holder’s name (anyone can type any email).
      await book(slot(), 'nosy@example.com', {
        name: 'Not Nosy',
        preferredName: 'Impostor',
      }).expect(201);
      const [nosy] = await t.dataSource.query(
        `SELECT preferred_name FROM users WHERE email = 'nosy@example.com'`,
      );
      expect(nosy.preferred_name).toBeNull();
      await book(slot(), 'bad@example.com', { preferredName: 'a\r\nb' }).expect(400);
    });

    it('the account page saves the about-you form (with CSRF) and shows the errors of a bad one', async () => {
      const token = await signup(t, 'former@example.com', 'Formal Name');
      const form = await pageForm(t, '/account', token);
      await postForm(t, '/account/profile', form, {
        name: 'Formal Name',
        preferredName: 'Fo',
        pronouns: 'ze/zir',
        timeZone: 'Asia/Tokyo',
      }).expect(303);
      const me = await t.http().get('/api/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({
        preferredName: 'Fo',
        pronouns: 'ze/zir',
        timeZone: 'Asia/Tokyo',
      });
      const bad = await postForm(t, '/account/profile', form, {
        name: 'Kept Name',
        pronouns: 'x'.repeat(41),
        timeZone: 'Nowhere/Land',
      }).expect(400);
      // Plain words beside each field and in a summary that takes focus, in the form's order;
      // what was typed is kept.
      expect(bad.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
      expect(bad.text).toContain(
        '<a href="#pronouns">Keep your pronouns to one line of at most 40 characters.</a>',
      );
      expect(bad.text).toContain(
        '<a href="#timeZone">Choose the city nearest you from the list.</a>',
      );
      expect(bad.text.indexOf('href="#pronouns"')).toBeLessThan(
        bad.text.indexOf('href="#timeZone"'),
      );
      expect(bad.text).toMatch(
        /id="timeZone"[^>]*aria-invalid="true" aria-describedby="timeZone-error"/,
      );
      expect(bad.text).toContain('value="Kept Name"');
      expect(bad.text).not.toContain('IANA');
      // A fixed offset is refused by the page (no daylight saving), though the API takes it.
      const est = await postForm(t, '/account/profile', form, {
        name: 'Formal Name',
        timeZone: 'EST',
      }).expect(400);
      expect(est.text).toContain('Choose the city nearest you from the list.');
      const saved = await t.http().get('/account?saved=1').set('cookie', form.cookie).expect(200);
      expect(saved.text).toContain('Your details are saved.');
      expect(saved.text).toMatch(/<option value="Asia\/Tokyo" selected>Tokyo \(GMT\+9\)/);
      await t
        .http()
        .post('/account/profile')
        .set('cookie', form.cookie)
        .type('form')
        .send({ name: 'No csrf' })
        .expect(403);
    });
  });

  describe('deletion states its scope', () => {
    it('says on the account page what is erased and kept, and confirms it by a last mail; the audit keeps ids only', async () => {
      const m = await member('goodbye@example.com', 'Good Bye', { preferredName: 'G' });
      await book(slot(), 'goodbye@example.com', { name: 'Good Bye' }).expect(201);
      await mail.waitFor((x) => x.to.includes('goodbye@example.com') && /^Booked/.test(x.subject));
      await mail.waitFor(
        (x) => x.to.includes(COACH_EMAIL) && x.text.includes('<goodbye@example.com> booked'),
      );
      const account = await getAs(t, m.token, '/account');
      for (const words of [
        'What is erased',
        'What is kept, for how long, and why',
        'Payment records',
        '7 years from the payment',
        'A paid 12 Steps enrollment',
        'not refunded automatically',
        'Audit entries',
      ]) {
        expect(account.text).toContain(words);
      }
      const deletePage = await getAs(t, m.token, '/account/delete');
      expect(deletePage.text).toContain('7 years from the payment');

      await t.http().get(`/api/clients/${m.id}/notes`).set(bearer(coach)).expect(200);
      await t
        .http()
        .delete('/api/me')
        .set(bearer(m.token))
        .set('x-request-id', 'req-erase-1')
        .send({ password: 'a-long-password' })
        .expect(204);
      const last = await mail.waitFor(
        (x) => x.to.includes('goodbye@example.com') && x.subject === 'Your account is deleted',
      );
      expect(last.text).toContain('Hello G,');
      expect(last.text).toContain('What was erased:');
      expect(last.text).toContain('7 years from the payment');
      expect(last.text).toContain('not refunded automatically');

      // The audit entries about the erased person survive, and hold nothing that identifies them.
      const rows: Record<string, unknown>[] = await t.dataSource.query(
        `SELECT * FROM audit_events WHERE person_id = $1 ORDER BY id`,
        [m.id],
      );
      expect(rows.map((r) => r.action)).toEqual(['client_notes.read', 'account.erased']);
      expect(rows[1]).toMatchObject({
        actor_id: m.id,
        actor_role: 'client',
        subject_type: 'account',
        subject_id: m.id,
        request_id: 'req-erase-1',
      });
      expect(JSON.stringify(rows)).not.toMatch(/goodbye|Good Bye/);
      const page = await getAs(t, coach, '/coach/audit');
      expect(page.text).toContain('an erased account');
      // Mend's copies of mail to (or naming) the person were deleted; only the last mails remain.
      const kept: { kind: string }[] = await t.dataSource.query(
        `SELECT kind FROM mail_outbox WHERE lower(to_address) = 'goodbye@example.com' OR text ILIKE '%goodbye@example.com%' ORDER BY created_at`,
      );
      expect(kept.map((k) => k.kind).sort()).toEqual(['account_erased', 'booking_cancelled']);
    });
  });

  describe('consent to share progress', () => {
    it('hides a new member’s progress from the coach until they turn sharing on', async () => {
      const m = await member('newbie@example.com', 'New Bie');
      const mine = await t.http().get('/api/me/program').set(bearer(m.token)).expect(200);
      expect(mine.body.enrollment).toMatchObject({
        shareProgress: false,
        shareProgressChosen: false,
      });
      await t.http().post('/api/me/program/steps/1/complete').set(bearer(m.token)).expect(200);
      const hidden = (
        await t.http().get('/api/program/enrollments').set(bearer(coach)).expect(200)
      ).body.find((e: { id: string }) => e.id === m.enrollmentId);
      expect(hidden).toMatchObject({ shareProgress: false, progress: null });
      const detail = await t.http().get(`/api/clients/${m.id}`).set(bearer(coach)).expect(200);
      expect(detail.body.enrollment).toMatchObject({ shareProgress: false, progress: null });
      const membersPage = await getAs(t, coach, '/coach/members');
      expect(membersPage.text).not.toMatch(/1 of 12/);

      // The steps page asks; turning it on needs the confirmation box.
      const steps = await getAs(t, m.token, '/program/steps');
      expect(steps.text).toContain('Would you like her to see how many steps you have completed?');
      const form = await pageForm(t, '/program/steps', m.token);
      const unconfirmed = await postForm(t, '/program/share', form, {
        shareProgress: 'true',
      }).expect(303);
      expect(unconfirmed.headers.location).toBe('/program/steps?confirm=share');
      expect(
        (await t.http().get('/api/me/program').set(bearer(m.token))).body.enrollment.shareProgress,
      ).toBe(false);
      await postForm(t, '/program/share', form, { shareProgress: 'true', confirm: 'yes' }).expect(
        303,
      );

      const shown = (
        await t.http().get('/api/program/enrollments').set(bearer(coach)).expect(200)
      ).body.find((e: { id: string }) => e.id === m.enrollmentId);
      expect(shown).toMatchObject({ shareProgress: true, progress: { completed: 1, total: 12 } });
      expect(
        (await t.http().get('/api/me/program').set(bearer(m.token))).body.enrollment,
      ).toMatchObject({ shareProgress: true, shareProgressChosen: true });
    });

    it('shares a reflection only by its own confirmed action: saving and autosave never change who can read it', async () => {
      const m = await member('careful@example.com', 'Care Ful');
      const form = await pageForm(t, '/program/steps/1', m.token);
      /** The step page's autosave: the reflection form posted in the background. */
      const autosave = (text: string, sharedWithCoach: string) =>
        postForm(t, '/program/steps/1', form, { text, sharedWithCoach }).set('x-autosave', '1');
      // An autosave (even one carrying sharedWithCoach=true, as the old page did) keeps it private.
      await autosave('First draft', 'true').expect(200);
      const reflections = () =>
        t
          .http()
          .get(`/api/program/enrollments/${m.enrollmentId}/reflections`)
          .set(bearer(coach))
          .expect(200);
      expect((await reflections()).body).toEqual([]);
      // The share form without its confirmation box shares nothing.
      const refused = await postForm(t, '/program/steps/1/sharing', form, {
        sharedWithCoach: 'true',
      }).expect(400);
      expect(refused.text).toContain('Please tick the box');
      expect((await reflections()).body).toEqual([]);
      await postForm(t, '/program/steps/1/sharing', form, {
        sharedWithCoach: 'true',
        confirm: 'yes',
      }).expect(303);
      expect((await reflections()).body.map((r: { text: string }) => r.text)).toEqual([
        'First draft',
      ]);
      // Saving again (button or autosave) keeps it shared, with the new text; making it private is one click.
      await autosave('Second draft', 'false').expect(200);
      expect((await reflections()).body.map((r: { text: string }) => r.text)).toEqual([
        'Second draft',
      ]);
      await postForm(t, '/program/steps/1/sharing', form, { sharedWithCoach: 'false' }).expect(303);
      expect((await reflections()).body).toEqual([]);
      // The page itself has no sharing choice inside the autosaved form.
      const page = await getAs(t, m.token, '/program/steps/1');
      const autosaved = page.text.slice(
        page.text.indexOf('data-autosave'),
        page.text.indexOf('</form>', page.text.indexOf('data-autosave')),
      );
      expect(autosaved).not.toContain('sharedWithCoach');
      expect(page.text).toContain('I want my coach to read this reflection');
      // The API: omitted sharedWithCoach keeps the choice; explicit true/false sets it.
      await t
        .http()
        .put('/api/me/program/steps/1/reflection')
        .set(bearer(m.token))
        .send({ text: 'Third' })
        .expect(200);
      expect((await reflections()).body).toEqual([]);
    });

    it('answers a member asking for another member’s things with 404 (or 403 on the coach’s routes)', async () => {
      const a = await member('alpha@example.com', 'Al Pha');
      const b = await member('beta@example.com', 'Be Ta');
      const booked = await book(slot(), 'beta@example.com', { name: 'Be Ta' }).expect(201);
      await t.http().get(`/api/bookings/${booked.body.id}`).set(bearer(a.token)).expect(404);
      await t.http().get(`/api/bookings/${booked.body.id}/ics`).set(bearer(a.token)).expect(404);
      await t
        .http()
        .get(`/api/program/enrollments/${b.enrollmentId}/reflections`)
        .set(bearer(a.token))
        .expect(403);
      await t.http().get(`/api/clients/${b.id}/notes`).set(bearer(a.token)).expect(403);
      // The sharing form acts on the caller's own reflection only: with none saved it is refused, and B's stays as it was.
      await t
        .http()
        .put('/api/me/program/steps/1/reflection')
        .set(bearer(b.token))
        .send({ text: 'B private' })
        .expect(200);
      const form = await pageForm(t, '/program/steps/1', a.token);
      await postForm(t, '/program/steps/1/sharing', form, {
        sharedWithCoach: 'true',
        confirm: 'yes',
      }).expect(409);
      expect(
        (
          await t
            .http()
            .get(`/api/program/enrollments/${b.enrollmentId}/reflections`)
            .set(bearer(coach))
            .expect(200)
        ).body,
      ).toEqual([]);
    });
  });
});
