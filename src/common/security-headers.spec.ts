import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { helmetHeaders } from './security-headers';

const options = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false as const,
};

describe('helmetHeaders', () => {
  it('replays exactly the headers @fastify/helmet sets per request', async () => {
    const withPlugin = Fastify();
    await withPlugin.register(fastifyHelmet, options);
    withPlugin.get('/', () => 'ok');
    const precomputed = Object.entries(await helmetHeaders(options));
    const withReplay = Fastify();
    withReplay.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of precomputed)
        if (value !== undefined) reply.raw.setHeader(name, value);
      done();
    });
    withReplay.get('/', () => 'ok');

    const { date: _a, ...expected } = (await withPlugin.inject({ url: '/' })).headers;
    const { date: _b, ...actual } = (await withReplay.inject({ url: '/' })).headers;
    expect(actual).toEqual(expected);
    expect(actual['content-security-policy']).toContain("frame-ancestors 'none'");
    await Promise.all([withPlugin.close(), withReplay.close()]);
  });
});
