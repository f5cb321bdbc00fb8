import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import { isApiRequest } from '../common/http';
import { AccountsService } from './accounts.service';
import { AUTH_KEY, AuthRequirement, SESSION_COOKIE } from './auth.decorators';

/**
 * Resolves the viewer on every request: the JSON API accepts only `Authorization: Bearer`, pages
 * only the httpOnly session cookie (whose forms carry CSRF tokens). Then enforces @Auth.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.viewer === undefined) {
      const token = isApiRequest(request)
        ? bearer(request)
        : (request.cookies?.[SESSION_COOKIE] ?? null);
      request.sessionToken = token;
      request.viewer = token ? await this.accounts.userForToken(token) : null;
    }
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) return true;
    if (!request.viewer) throw new DomainError('UNAUTHENTICATED', 'Please sign in first.');
    if (requirement !== 'user' && request.viewer.role !== requirement) {
      throw new DomainError('FORBIDDEN', 'You don’t have access to this.');
    }
    return true;
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1] : null;
}
