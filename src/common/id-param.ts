import { Param, ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './errors';

/**
 * An object id in a path (every table's key is a UUID): anything else names nothing, so it is
 * 404 NOT_FOUND before any service or query sees it — the one id check for every controller.
 */
export const IdParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({ exceptionFactory: () => new DomainError('NOT_FOUND', 'Not found.') }),
  );
