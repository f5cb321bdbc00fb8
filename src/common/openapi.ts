import { OpenAPIObject } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The one error shape every 4xx and 5xx answer has (see http-exception.filter.ts). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    error: { type: 'string', example: 'Conflict' },
    code: { type: 'string', example: 'SLOT_TAKEN', description: 'A stable machine-readable code' },
    message: { type: 'string', example: 'That time was just taken. Please choose another.' },
    details: {
      type: 'object',
      description: 'For VALIDATION_FAILED: a list of messages per field',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

const ERROR_ANSWERS: Record<string, string> = {
  '400': 'The request is not valid (VALIDATION_FAILED names each field)',
  '401': 'No valid session token (UNAUTHENTICATED)',
  '403': 'Signed in, but not allowed (FORBIDDEN)',
  '404': 'No such object, or not yours (NOT_FOUND)',
};

/** "BookingsController_reschedule" → "Reschedule (bookings)", for operations without a summary. */
function summaryFrom(operationId: string | undefined, method: string, path: string): string {
  const match = /^(\w+?)Controller_(\w+)$/.exec(operationId ?? '');
  if (!match) return `${method.toUpperCase()} ${path}`;
  const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const action = words(match[2]);
  return `${action.charAt(0).toUpperCase()}${action.slice(1)} (${words(match[1])})`;
}

/**
 * Completes the generated document so that a typed client can be generated from it: every
 * operation has a summary, says its security (public ones explicitly none), and lists its 4xx
 * answers in the one error shape. Explicit decorators always win over what is added here.
 */
export function completeOpenApi(document: OpenAPIObject, publicUrl: string): OpenAPIObject {
  document.servers = [{ url: publicUrl }];
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Error = { ...ERROR_SCHEMA } as never;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op: Operation | undefined = item[method];
      if (!op) continue;
      op.summary ||= summaryFrom(op.operationId, method, path);
      // Class- and method-level decorators may both name the bearer scheme: say it once.
      op.security = [...new Map((op.security ?? []).map((r) => [JSON.stringify(r), r])).values()];
      const secured = op.security.length > 0;
      const params = op.parameters ?? [];
      const wanted = new Set<string>();
      if (op.requestBody || params.some((p) => 'in' in p && (p.in === 'query' || p.in === 'path')))
        wanted.add('400');
      if (secured) wanted.add('401').add('403');
      if (params.some((p) => 'in' in p && p.in === 'path')) wanted.add('404');
      if (!Object.keys(op.responses).some((s) => s.startsWith('4'))) wanted.add('400');
      for (const status of wanted) {
        op.responses[status] ??= {
          description: ERROR_ANSWERS[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
    }
  }
  return document;
}
