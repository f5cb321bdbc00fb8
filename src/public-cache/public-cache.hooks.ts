import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PUBLIC_CACHE_CONTROL,
  PUBLIC_VARY,
  etagMatches,
  publicCacheKey,
} from './public-cache.rules';
import { PublicCache } from './public-cache.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this anonymous request's answer may be stored in the shared public cache. */
    publicCache?: { key: string; version: number; hit: boolean };
  }
}

/** Fastify hooks: answer cacheable anonymous GETs from memory, keep fresh renders, note writes. */
@Injectable()
export class PublicCacheHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cache: PublicCache,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply) => this.serve(request, reply));
    fastify.addHook(
      'onSend',
      async (request: FastifyRequest, reply: FastifyReply, payload: unknown) =>
        this.keep(request, reply, payload),
    );
    fastify.addHook('onResponse', async (request: FastifyRequest) => {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) this.cache.markDirty();
    });
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = publicCacheKey(request);
    if (key === null) return;
    let version = this.cache.freshVersion();
    if (version === null) {
      try {
        version = await this.cache.readVersion();
      } catch {
        return; // the database is unreachable: render as usual (and fail as usual)
      }
    }
    const page = this.cache.lookup(key, version);
    request.publicCache = { key, version, hit: page !== null };
    if (!page) return;
    reply
      .header('etag', page.etag)
      .header('cache-control', PUBLIC_CACHE_CONTROL)
      .header('vary', PUBLIC_VARY)
      .header('x-mend-cache', 'hit');
    if (etagMatches(request.headers['if-none-match'], page.etag)) {
      await reply.code(304).send();
      return;
    }
    await reply.code(200).type(page.contentType).send(page.body);
  }

  private keep(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    const marker = request.publicCache;
    if (!marker || marker.hit) return payload;
    const cookie = reply.getHeader('set-cookie');
    const body =
      typeof payload === 'string'
        ? Buffer.from(payload)
        : Buffer.isBuffer(payload)
          ? payload
          : null;
    if (reply.statusCode !== 200 || cookie !== undefined || body === null) return payload;
    const page = this.cache.store(
      marker.key,
      marker.version,
      body,
      String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
    );
    reply
      .header('etag', page.etag)
      .header('cache-control', PUBLIC_CACHE_CONTROL)
      .header('vary', PUBLIC_VARY)
      .header('x-mend-cache', 'miss');
    return body;
  }
}
