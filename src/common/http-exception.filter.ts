import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode } from './errors';
import { isApiRequest } from './http';
import { ERROR_PAGES, ErrorPages } from './error-pages';

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: Record<string, string[]>;
}

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

// TypeORM's "query runner already released" errors are what a transaction sees when PostgreSQL
// terminated its connection mid-request.
const DB_DOWN =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|terminating connection|Client has encountered a connection error|query runner (was )?already released|Driver not Connected/i;

/** Turns anything thrown into SPEC's error shape; never shows a stack trace or SQL. */
export function toErrorBody(exception: unknown): ErrorBody {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  if (cause instanceof Error && /^FST_CSRF_/.test(String(Reflect.get(cause, 'code') ?? ''))) {
    exception = new DomainError(
      'CSRF_INVALID',
      'This form has expired. Please go back, reload the page and try again.',
    );
  }
  if (exception instanceof DomainError) {
    return {
      statusCode: exception.status,
      error: STATUS_CODES[exception.status] ?? 'Error',
      code: exception.code,
      message: exception.message,
      ...(exception.details ? { details: exception.details } : {}),
    };
  }
  let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
  let message = 'Something went wrong on our side. Nothing was lost; please try again.';
  if (exception instanceof HttpException) {
    status = exception.getStatus();
    const res = exception.getResponse();
    const m = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    if (status < 500) message = Array.isArray(m) ? m.join('; ') : String(m ?? exception.message);
  } else if (isFastifyError(exception)) {
    status = exception.statusCode;
    if (status < 500) {
      message =
        exception.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(exception.message)
          ? 'The request body is not valid JSON.'
          : exception.message;
    }
  } else if (
    !(exception instanceof QueryFailedError) &&
    exception instanceof Error &&
    DB_DOWN.test(exception.message)
  ) {
    status = HttpStatus.SERVICE_UNAVAILABLE;
    message =
      'The service is briefly unavailable. Nothing was changed; please try again in a moment.';
  } else if (
    exception instanceof Error &&
    DB_DOWN.test(String((exception as { driverError?: Error }).driverError?.message ?? ''))
  ) {
    status = HttpStatus.SERVICE_UNAVAILABLE;
    message =
      'The service is briefly unavailable. Nothing was changed; please try again in a moment.';
  }
  const code =
    status === 400 && /JSON/.test(message)
      ? 'BAD_REQUEST'
      : (CODE_FOR_STATUS[status] ?? 'INTERNAL_ERROR');
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message };
}

function isFastifyError(e: unknown): e is Error & { statusCode: number; code?: string } {
  if (!(e instanceof Error)) return false;
  const status: unknown = Reflect.get(e, 'statusCode');
  return typeof status === 'number' && status >= 400 && status < 600;
}

const logger = new Logger('Errors');

export function sendError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  pages?: ErrorPages,
): void {
  const body = toErrorBody(exception);
  if (body.statusCode >= 500) {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    logger.error(
      { err: { type: err.name, message: err.message, stack: err.stack }, reqId: request.id },
      'request failed',
    );
  }
  if (reply.sent) return;
  if (body.statusCode === 429) {
    const seconds = exception instanceof DomainError ? exception.retryAfterSeconds : undefined;
    reply.header('retry-after', String(seconds ?? 60));
  }
  if (isApiRequest(request)) {
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
    return;
  }
  if (body.statusCode === 401 && request.method === 'GET') {
    void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return;
  }
  const title =
    body.statusCode === 404
      ? 'We couldn’t find that page'
      : body.statusCode >= 500
        ? 'Something went wrong on our side'
        : (STATUS_CODES[body.statusCode] ?? 'Error');
  const page = { title, statusCode: body.statusCode, message: body.message };
  (pages ? pages.render(page) : Promise.reject(new Error('no page renderer')))
    .then((html) => reply.status(body.statusCode).type('text/html; charset=utf-8').send(html))
    .catch(() =>
      reply
        .status(body.statusCode)
        .type('text/plain; charset=utf-8')
        .send(`${title}\n\n${body.message}`),
    );
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Optional() @Inject(ERROR_PAGES) private readonly pages?: ErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendError(
      exception,
      ctx.getRequest<FastifyRequest>(),
      ctx.getResponse<FastifyReply>(),
      this.pages,
    );
  }
}
