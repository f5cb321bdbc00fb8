import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Role, User } from './user.entity';

export const AUTH_KEY = 'mend:auth';
export type AuthRequirement = 'user' | Role;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person (resolved by AuthGuard), or null. */
    viewer?: User | null;
    /** The raw session token the viewer came with (to log out). */
    sessionToken?: string | null;
  }
}

/** `@Auth()` any signed-in person (401 otherwise); `@Auth('coach')` the coach only (403 to others). */
export const Auth = (requirement: AuthRequirement = 'user') =>
  applyDecorators(SetMetadata(AUTH_KEY, requirement), ApiBearerAuth());

/** The signed-in person, or null on public routes. */
export const Viewer = createParamDecorator((_: unknown, ctx: ExecutionContext): User | null => {
  return ctx.switchToHttp().getRequest<FastifyRequest>().viewer ?? null;
});

/** The signed-in person on a route guarded by @Auth (never null there). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): User => {
  const viewer = ctx.switchToHttp().getRequest<FastifyRequest>().viewer;
  if (!viewer) throw new Error('CurrentUser used on a route without @Auth');
  return viewer;
});

export const SESSION_COOKIE = 'mend_session';
