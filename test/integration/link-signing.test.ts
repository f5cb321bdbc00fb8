import { randomBytes } from 'node:crypto';
import { LinkSigner } from '../../src/common/crypto/link-signer';
import { startTestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

describe('Link signing across an ENCRYPTION_KEY rotation', () => {
  it('keeps manage links mailed before the rotation working, during and after it', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const a = await startTestApp({ env: { ENCRYPTION_KEY: oldKey } });
    try {
      await setUpCoach(a, 'call', { durationMinutes: 30 });
      const [slot] = await openSlots(a, 'call', dayFromNow(3));
      const booked = await a
        .http()
        .post('/api/bookings')
        .send(bookingBody('call', slot.start))
        .expect(201);
      const token = new URL(booked.body.manageUrl).searchParams.get('token')!;
      const secretBefore = a.app.get(LinkSigner).key;
      // The secret is random, stored only encrypted, and is not the encryption key.
      const [row] = await a.dataSource.query(
        `SELECT row_to_json(s)::text AS row FROM app_secrets s`,
      );
      expect(row.row).not.toContain(secretBefore.toString('base64'));
      expect(secretBefore.equals(Buffer.from(oldKey, 'base64'))).toBe(false);

      const b = await startTestApp({
        databaseUrl: a.databaseUrl,
        env: { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey },
        seed: false,
      });
      try {
        await b.http().get(`/api/bookings/${booked.body.id}?token=${token}`).expect(200);
        expect(b.app.get(LinkSigner).key.equals(secretBefore)).toBe(true);
      } finally {
        await b.app.close();
      }
      // Re-encrypted under the new key: the old key can go, and the old link still works.
      const c = await startTestApp({
        databaseUrl: a.databaseUrl,
        env: { ENCRYPTION_KEY: newKey },
        seed: false,
      });
      try {
        const res = await c
          .http()
          .get(`/api/bookings/${booked.body.id}?token=${token}`)
          .expect(200);
        expect(res.body.id).toBe(booked.body.id);
        await c
          .http()
          .get(`/api/bookings/${booked.body.id}?token=${token.slice(0, -2)}xx`)
          .expect(404);
      } finally {
        await c.app.close();
      }
    } finally {
      await a.close();
    }
  });
});
