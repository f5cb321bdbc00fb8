import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './errors';
import {
  assertPath,
  decodeUtf8,
  INPUT_LIMITS,
  mediaType,
  parseJsonBody,
  parseUrlEncoded,
} from './http-input';

/**
 * The route config key naming the body types a route takes, e.g.
 * `@RouteConfig({ [BODY_TYPES]: ['multipart/form-data'] })` on an upload handler.
 * Without it: `/api/**` takes only `application/json`, pages only
 * `application/x-www-form-urlencoded` (what their forms send); `@TakesUploads()` (route config
 * `multipart: true`) adds `multipart/form-data`.
 */
export const BODY_TYPES = 'bodyTypes';

const API_TYPES = ['application/json'];
const PAGE_TYPES = ['application/x-www-form-urlencoded'];

const QUERY_PROBLEM = Symbol('queryProblem');
type ParsedQuery = Record<string, string> & { [QUERY_PROBLEM]?: DomainError };

/**
 * Fastify's `querystringParser`: the router calls it, where a throw would not reach the error
 * filter, so a refusal is carried on the result and raised by the onRequest hook below.
 */
export function parseQueryString(raw: string): Record<string, string> {
  try {
    return parseUrlEncoded(raw, 'query string');
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const marked: ParsedQuery = {};
    Object.defineProperty(marked, QUERY_PROBLEM, { value: e, enumerable: false });
    return marked;
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

function acceptedTypes(request: FastifyRequest): readonly string[] {
  const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
  const declared = config?.[BODY_TYPES];
  if (Array.isArray(declared)) return declared as string[];
  const path = request.url.split('?')[0];
  const defaults = path === '/api' || path.startsWith('/api/') ? API_TYPES : PAGE_TYPES;
  // Routes marked @TakesUploads() (src/images/uploads.ts) take file uploads as well.
  return config?.multipart === true ? [...defaults, 'multipart/form-data'] : defaults;
}

/**
 * Registers the checks every request passes before a controller, a pipe or a DTO sees it:
 * its address and query are text Mend can store, its body is of a type the route takes
 * (else 415), and JSON and form bodies are parsed within INPUT_LIMITS.
 */
export function registerInputGuards(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
      try {
        assertPath(request.url);
      } catch (e) {
        return done(e as Error);
      }
      const problem = (request.query as ParsedQuery | undefined)?.[QUERY_PROBLEM];
      done(problem);
    },
  );

  fastify.addHook(
    'preParsing',
    (
      request: FastifyRequest,
      _reply: FastifyReply,
      payload: unknown,
      done: (err: Error | null, payload?: never) => void,
    ) => {
      if (!hasBody(request)) return done(null, payload as never);
      const type = mediaType(request.headers['content-type']);
      if (!acceptedTypes(request).includes(type)) {
        return done(
          new DomainError(
            'UNSUPPORTED_MEDIA_TYPE',
            `This address takes ${acceptedTypes(request).join(' or ')} bodies, not “${type.slice(0, 60) || 'none'}”.`,
          ),
        );
      }
      done(null, payload as never);
    },
  );

  // Only these two parsers: anything else (text/plain included) has no parser and is refused.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser(
    'application/json',
    { bodyLimit: INPUT_LIMITS.bodyBytes },
    async (_req: unknown, body: Buffer) => parseJsonBody(body),
  );
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: INPUT_LIMITS.bodyBytes },
    async (_req: unknown, body: Buffer) => parseUrlEncoded(decodeUtf8(body), 'form'),
  );
}
