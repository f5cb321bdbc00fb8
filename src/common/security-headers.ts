import fastifyHelmet, { FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import { OutgoingHttpHeaders } from 'node:http';

/**
 * The security headers @fastify/helmet sets with these options, computed once.
 *
 * @fastify/helmet rebuilds helmet's middleware (parsing the CSP directives, dashifying names) on
 * every request, a measurable share of a cheap request's CPU. The headers depend only on the
 * options (no CSP nonces are used), so we ask the plugin itself once, on a throwaway Fastify
 * instance, and replay exactly what it set: same names, same values (its one removal,
 * X-Powered-By, is a header Fastify never sets).
 */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<OutgoingHttpHeaders> {
  const probe = Fastify();
  let headers: OutgoingHttpHeaders = {};
  await probe.register(fastifyHelmet, options);
  probe.get('/', (_request, reply) => {
    headers = reply.raw.getHeaders();
    return '';
  });
  try {
    await probe.inject({ method: 'GET', url: '/' });
  } finally {
    await probe.close();
  }
  if (!headers['content-security-policy'])
    throw new Error('helmet did not set its headers on the probe');
  return headers;
}
