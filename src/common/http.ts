import { FastifyRequest } from 'fastify';

/** JSON API routes (and machine endpoints) answer JSON errors; everything else gets pages. */
export function isApiRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0];
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/health');
}

export function clientIp(request: FastifyRequest): string {
  return request.ip || 'unknown';
}
