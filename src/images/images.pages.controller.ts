import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { DomainError } from '../common/errors';
import { toErrorBody } from '../common/http-exception.filter';
import { redirect, renderPage } from '../web/page';
import { ImagesService } from './images.service';
import { TakesUploads } from './uploads';

type Form = Record<string, unknown> | undefined;

/** The coach's image library: upload (session + CSRF), copy a Markdown snippet, delete. */
@ApiExcludeController()
@Controller('coach/images')
@Auth('coach')
export class ImagesPagesController {
  constructor(private readonly images: ImagesService) {}

  @Get()
  async library(
    @Query('uploaded') uploaded: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.render(req, reply, {
      notice: uploaded ? 'Uploaded. Copy its Markdown into a post, or pick it as a cover.' : null,
    });
  }

  /** The form posts here; with `Accept: application/json` (the editor's drag and drop) it answers the image as JSON. */
  @Post()
  @TakesUploads()
  async upload(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const wantsJson = /application\/json/.test(String(req.headers.accept ?? ''));
    try {
      const image = await this.images.upload(body?.file, body?.alt);
      if (wantsJson)
        return void (await reply.status(201).header('cache-control', 'no-store').send(image));
      redirect(reply, `/coach/images?uploaded=${image.id}`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // The editor's drag and drop reads the reason as JSON, like the API's.
      if (wantsJson) return void (await reply.status(e.status).send(toErrorBody(e)));
      await this.render(req, reply, { error: e.message }, e.status);
    }
  }

  @Post(':id/delete')
  async remove(
    @IdParam() id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.images.remove(id);
      redirect(reply, '/coach/images');
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'IMAGE_IN_USE') throw e;
      await this.render(req, reply, { error: e.message }, e.status);
    }
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    await renderPage(
      req,
      reply,
      'coach/images',
      { title: 'Images', images: await this.images.list(), ...extra },
      status,
    );
  }
}
