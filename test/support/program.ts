import request from 'supertest';
import { TestApp } from './app';

/**
 * A member's calls to the 12 Steps API, signed in with `token`. Each returns the request, for the
 * test to finish with `.expect(status)`.
 */
const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** POST /api/program/enrollments: enroll (paid: opens a checkout). */
export const enroll = (t: TestApp, token: string): request.Test =>
  t.http().post('/api/program/enrollments').set(as(token));

/** GET /api/me/program/steps/:n */
export const getStep = (t: TestApp, token: string, n: number): request.Test =>
  t.http().get(`/api/me/program/steps/${n}`).set(as(token));

/** PUT /api/me/program/steps/:n/reflection */
export const putReflection = (t: TestApp, token: string, n: number, body: object): request.Test =>
  t.http().put(`/api/me/program/steps/${n}/reflection`).set(as(token)).send(body);

/** POST /api/me/program/steps/:n/complete */
export const completeStep = (t: TestApp, token: string, n: number): request.Test =>
  t.http().post(`/api/me/program/steps/${n}/complete`).set(as(token));
