import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from './errors';

/** Flattens class-validator errors to `{ "field.sub": ["message", …] }`. */
export function fieldMessages(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const key = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      out[key] = Object.entries(e.constraints).map(([rule, message]) =>
        rule === 'whitelistValidation' ? `${key} is not an accepted field` : message,
      );
    }
    if (e.children?.length) Object.assign(out, fieldMessages(e.children, key));
  }
  return out;
}

export function validationFailed(details: Record<string, string[]>): DomainError {
  const fields = Object.keys(details);
  return new DomainError(
    'VALIDATION_FAILED',
    fields.length ? `Please check: ${fields.join(', ')}.` : 'The request is not valid.',
    details,
  );
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
} as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => validationFailed(fieldMessages(errors)),
  });
}

/**
 * Validates an HTML form body against the same DTO the API uses (minus the CSRF field), so pages
 * and API share one set of rules. Returns the DTO or per-field messages to show beside the inputs.
 */
export async function validateForm<T extends object>(
  dto: new () => T,
  body: unknown,
): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string[]> }> {
  const raw: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
  delete raw._csrf;
  for (const [k, v] of Object.entries(raw)) if (v === '') delete raw[k];
  const value = plainToInstance(dto, raw, { enableImplicitConversion: true });
  const errors = await validate(value, VALIDATION_OPTIONS);
  if (errors.length) return { ok: false, errors: fieldMessages(errors) };
  return { ok: true, value };
}
