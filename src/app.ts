import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { anonymousFormNeedsNoToken } from './common/anonymous-forms';
import { completeOpenApi } from './common/openapi';
import { projectRoot } from './common/paths';
import { helmetHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { INPUT_LIMITS } from './common/http-input';
import { parseQueryString, registerInputGuards } from './common/input-guards';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './config/config';
import { QuietFrameworkLogger, requestId } from './logging';
import { registerUploads } from './images/uploads';
import { hasSessionCookie } from './public-cache/public-cache.rules';

/** Paths that take POSTs without a CSRF token because they authenticate otherwise. */
const CSRF_EXEMPT = [
  /^\/api(\/|$)/,
  /^\/health/,
  // RFC 8058 one-click unsubscribe: mail clients POST it without a session; its signed token authenticates it.
  /^\/newsletter\/unsubscribe$/,
];

/**
 * Everything that makes the production app what it is — plugins, security headers, CSRF, pipes,
 * the error handler, OpenAPI — shared by main.ts and the tests, so tests exercise the real thing.
 */
export async function bootstrap(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  registerInputGuards(app);

  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'mend_csrf',
    cookieOpts: {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: config.publicUrl.startsWith('https://'),
      signed: false,
    },
  });
  // multipart/form-data only for routes marked @TakesUploads() (image uploads); 415 elsewhere.
  await registerUploads(fastify);
  // @fastify/helmet's headers, computed once (see helmetHeaders) and set on every response from onRequest,
  // where the plugin would set them.
  const securityHeaders = Object.entries(
    await helmetHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // https: so the coach's posts can show cover and inline images hosted elsewhere.
          imgSrc: ["'self'", 'data:', 'https:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'", 'https://checkout.stripe.com'],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  fastify.addHook(
    'onRequest',
    (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      for (const [name, value] of securityHeaders)
        if (value !== undefined) reply.raw.setHeader(name, value);
      done();
    },
  );
  // Swagger UI needs inline scripts and styles; relax the policy for the docs page only.
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (request.url.startsWith('/api/docs') && !request.url.startsWith('/api/docs-json')) {
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
        );
      }
      return payload;
    },
  );
  await app.register(fastifyStatic, {
    root: join(projectRoot(), 'public'),
    prefix: '/public/',
    maxAge: config.nodeEnv === 'production' ? '1d' : 0,
  });

  // Every state-changing page form carries a CSRF token (the API authenticates by bearer token).
  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      const path = request.url.split('?')[0];
      if (
        ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ||
        CSRF_EXEMPT.some((re) => re.test(path))
      )
        return done();
      // The forms of shared (cached) public pages carry no per-person token; see anonymous-forms.ts.
      if (
        anonymousFormNeedsNoToken(
          {
            path,
            headers: request.headers,
            hasSessionCookie: hasSessionCookie(request.headers.cookie),
          },
          config.publicUrl,
        )
      )
        return done();
      fastify.csrfProtection(request, reply, done);
    },
  );

  app.useGlobalPipes(createValidationPipe());

  const document = completeOpenApi(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Mend API')
        .setDescription('The HTTP API of Mend. Errors: { statusCode, error, code, message }.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
    config.publicUrl,
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** Creates, configures and initialises the app (not yet listening). */
export async function createApp(
  config: AppConfig,
  options: AppModuleOptions,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    new FastifyAdapter({
      trustProxy: config.nodeEnv === 'production',
      bodyLimit: INPUT_LIMITS.bodyBytes,
      genReqId: requestId,
      routerOptions: { querystringParser: parseQueryString },
    }),
    { rawBody: true, bufferLogs: true, abortOnError: false },
  );
  try {
    await bootstrap(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (e) {
    // A start-up check failed (e.g. a wrong ENCRYPTION_KEY): release the pool and workers, then report.
    await app.close().catch(() => undefined);
    throw e;
  }
  return app;
}
