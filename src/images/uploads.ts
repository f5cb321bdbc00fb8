import fastifyMultipart from '@fastify/multipart';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiConsumes } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import { MAX_UPLOAD_BYTES } from './processing';

/**
 * File uploads (multipart/form-data) are taken only by routes marked `@TakesUploads()`; every
 * other route answers 415 to a multipart body before reading it. On the marked routes the form is
 * read into `request.body` (fields as strings, files as Buffers) before the CSRF check, so a page
 * form's `_csrf` field works with or without JavaScript.
 */
export const TakesUploads = (): MethodDecorator =>
  applyDecorators(RouteConfig({ multipart: true }), ApiConsumes('multipart/form-data'));

function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(String(request.headers['content-type'] ?? ''));
}

interface FilePart {
  file: AsyncIterable<Buffer> & { truncated: boolean };
  value?: unknown;
}

export async function registerUploads(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
    const config = request.routeOptions.config as { multipart?: boolean } | undefined;
    if (isMultipart(request) && !config?.multipart) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        'This address does not take file uploads (multipart/form-data).',
      );
    }
    return payload;
  });
  await fastify.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: {
      fileSize: MAX_UPLOAD_BYTES,
      files: 2,
      fields: 40,
      fieldSize: 1_000_000,
      parts: 45,
      headerPairs: 50,
    },
    // Read each file into memory (at most MAX_UPLOAD_BYTES), refusing a bigger one clearly.
    async onFile(part: FilePart) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk);
      if (part.file.truncated) {
        throw new DomainError(
          'IMAGE_TOO_LARGE',
          `This file is too large: at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, please. Save a smaller copy and upload that.`,
        );
      }
      part.value = Buffer.concat(chunks);
    },
  });
}
