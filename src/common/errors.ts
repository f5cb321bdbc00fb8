import { HttpStatus } from '@nestjs/common';

/**
 * Every expected failure is a DomainError with a stable code; the filter maps it to SPEC's error
 * shape (API) or a friendly page (HTML).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  CSRF_INVALID: HttpStatus.FORBIDDEN,
  WRONG_PASSWORD: HttpStatus.FORBIDDEN,
  NOT_ENROLLED: HttpStatus.FORBIDDEN,
  STEP_LOCKED: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  EMAIL_TAKEN: HttpStatus.CONFLICT,
  SLOT_TAKEN: HttpStatus.CONFLICT,
  TOO_LATE_TO_RESCHEDULE: HttpStatus.CONFLICT,
  ALREADY_ENROLLED: HttpStatus.CONFLICT,
  CONFLICT: HttpStatus.CONFLICT,
  SLUG_TAKEN: HttpStatus.CONFLICT,
  IMAGE_IN_USE: HttpStatus.CONFLICT,
  INVALID_TOKEN: HttpStatus.BAD_REQUEST,
  SLOT_UNAVAILABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
  UNPROCESSABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_IMAGE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  IMAGE_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  PAYMENT_PROVIDER_ERROR: HttpStatus.BAD_GATEWAY,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages (validation). */
    readonly details?: Record<string, string[]>,
    /** RATE_LIMITED: seconds until a retry can succeed (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} was not found.`);

/** 429 with the real time left, in words and in Retry-After. */
export function rateLimited(what: string, retryAfterSeconds: number): DomainError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  const wait = seconds <= 60 ? 'a minute' : `${Math.ceil(seconds / 60)} minutes`;
  return new DomainError(
    'RATE_LIMITED',
    `${what} Please wait ${wait} and try again.`,
    undefined,
    seconds,
  );
}
