import { randomBytes, randomUUID } from 'node:crypto';
import { unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const key = randomBytes(32);
  it('round-trips and refuses tampering or another key', () => {
    const id = randomUUID();
    const token = unsubscribeToken(key, id);
    expect(verifyUnsubscribeToken(key, token)).toBe(id);
    expect(verifyUnsubscribeToken(randomBytes(32), token)).toBeNull();
    const other = randomUUID();
    expect(verifyUnsubscribeToken(key, `${other}.${token.split('.')[1]}`)).toBeNull();
    expect(verifyUnsubscribeToken(key, 'garbage')).toBeNull();
    expect(verifyUnsubscribeToken(key, '')).toBeNull();
  });
});
