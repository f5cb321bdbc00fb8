import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './errors';
import { toErrorBody } from './http-exception.filter';

describe('toErrorBody', () => {
  it('maps domain errors to their status and code', () => {
    expect(toErrorBody(new DomainError('SLOT_TAKEN', 'Taken.'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'SLOT_TAKEN',
      message: 'Taken.',
    });
    expect(
      toErrorBody(new DomainError('VALIDATION_FAILED', 'Check.', { email: ['bad'] })),
    ).toMatchObject({ statusCode: 400, details: { email: ['bad'] } });
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
    expect(toErrorBody(new BadRequestException('bad'))).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('never shows SQL or internals of an unexpected error', () => {
    const sqlError = new QueryFailedError(
      'SELECT secret FROM users',
      [],
      new Error('column "secret" does not exist'),
    );
    const body = toErrorBody(sqlError);
    expect(body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|secret|column/);
    expect(toErrorBody(new TypeError('x is undefined')).message).not.toMatch(/undefined/);
  });

  it('answers 503 when the database connection dropped', () => {
    expect(toErrorBody(new Error('Connection terminated unexpectedly'))).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    // What a transaction sees when its connection was terminated mid-request.
    expect(
      toErrorBody(new Error('Query runner already released. Cannot run queries anymore.')),
    ).toMatchObject({ statusCode: 503 });
    expect(
      toErrorBody(
        new Error(
          'Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.',
        ),
      ),
    ).toMatchObject({ statusCode: 503 });
  });
});
