import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
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

/**
 * What class-validator lets through and no handler expects, found in a validated DTO:
 * - `null` in a field the OpenAPI schema doesn't mark `nullable` (`@IsOptional()` skips every
 *   check for null, so `{"title": null}` would reach a NOT NULL column);
 * - a list inside a list where nested objects are expected (`@ValidateNested({ each: true })`
 *   validates `[[[]]]` as lists of nothing).
 */
export function shapeProblems(dto: unknown, prefix = '', depth = 0): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (dto === null || typeof dto !== 'object' || Array.isArray(dto) || depth > 32) return out;
  const type = (Object.getPrototypeOf(dto) as { constructor?: new () => object } | null)
    ?.constructor;
  // Only instances of DTO classes carry the metadata (plain and null-prototype objects don't).
  if (!type || type === Object) return out;
  const nested = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(type, '', true, false)
      .filter((m) => m.type === 'nestedValidation')
      .map((m) => m.propertyName),
  );
  for (const [key, value] of Object.entries(dto)) {
    // A declared field the client left out (class fields exist on the instance as undefined).
    if (value === undefined) continue;
    const field = prefix ? `${prefix}.${key}` : key;
    if (value === null) {
      const api = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, type.prototype, key) as
        { nullable?: boolean } | undefined;
      if (!api?.nullable) out[field] = [`${field} must not be null`];
      continue;
    }
    const items: unknown[] = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const at = Array.isArray(value) ? `${field}.${i}` : field;
      if (nested.has(key) && (item === null || typeof item !== 'object' || Array.isArray(item)))
        out[at] = [`${at} must be an object`];
      else Object.assign(out, shapeProblems(item, at, depth + 1));
    });
  }
  return out;
}

class MendValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto: unknown = await super.transform(value, metadata);
    // Only what the client sent (not e.g. @CurrentUser()'s entity).
    if (metadata.type === 'custom') return dto;
    const problems = shapeProblems(dto);
    if (Object.keys(problems).length) throw validationFailed(problems);
    return dto;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new MendValidationPipe({
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
