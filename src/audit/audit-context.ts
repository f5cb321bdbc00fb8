import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AuditActorRole } from './audit-event.entity';

/** Who is acting and under which request id (the one the logs carry), for the audit trail. */
export interface AuditContext {
  actorId: string | null;
  actorRole: AuditActorRole;
  requestId: string | null;
}

/** Background work (jobs): Mend itself, no request. */
export const SYSTEM_ACTOR: AuditContext = { actorId: null, actorRole: 'system', requestId: null };

export function auditContextOf(request: FastifyRequest): AuditContext {
  const viewer = request.viewer ?? null;
  return {
    actorId: viewer?.id ?? null,
    actorRole: viewer ? viewer.role : 'system',
    requestId: typeof request.id === 'string' ? request.id : null,
  };
}

/** `@Audit() ctx: AuditContext`: the signed-in actor and the request id (use on @Auth routes). */
export const Audit = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditContext =>
  auditContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
