import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { DomainError } from '../common/errors';
import { validateForm } from '../common/validation';
import { ImagesService } from '../images/images.service';
import { TakesUploads } from '../images/uploads';
import { redirect, renderPage } from '../web/page';
import { UpdateSiteDto } from './dto/site.dto';
import { SiteService } from './site.service';

type Form = Record<string, unknown>;
export const LINK_ROWS = 4;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form's flat fields as PUT /api/site takes them (link rows with both parts empty dropped). */
function siteValues(body: Form): Record<string, unknown> {
  const links = [];
  for (let i = 0; i < LINK_ROWS; i++) {
    const label = text(body[`linkLabel${i}`]).trim();
    const url = text(body[`linkUrl${i}`]).trim();
    if (label || url) links.push({ label, url });
  }
  return {
    name: text(body.name),
    tagline: text(body.tagline),
    coachName: text(body.coachName),
    bio: text(body.bio),
    aboutMarkdown: text(body.aboutMarkdown),
    footer: text(body.footer),
    contactEmail: text(body.contactEmail),
    links,
  };
}

@ApiExcludeController()
@Controller()
export class SitePagesController {
  constructor(
    private readonly site: SiteService,
    private readonly images: ImagesService,
  ) {}

  @Get('about')
  async about(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const site = await this.site.current();
    await renderPage(req, reply, 'site/about', {
      title: `About ${site.coachName}`,
      description: site.bio || site.tagline,
      about: site,
    });
  }

  @Get('coach/site')
  @Auth('coach')
  async edit(
    @Query('saved') saved: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const site = await this.site.current();
    const values: Form = {
      name: site.name,
      tagline: site.tagline,
      coachName: site.coachName,
      bio: site.bio,
      aboutMarkdown: site.aboutMarkdown,
      footer: site.footer,
      contactEmail: site.contactEmail,
    };
    site.links.forEach((l, i) => {
      values[`linkLabel${i}`] = l.label;
      values[`linkUrl${i}`] = l.url;
    });
    await renderPage(req, reply, 'site/edit', {
      title: 'Your site',
      values,
      photo: site.photo,
      linkRows: LINK_ROWS,
      notice: saved ? 'Saved. Every page now shows it.' : null,
    });
  }

  /** A multipart form, so that her photo can come with it (works without JavaScript). */
  @Post('coach/site')
  @Auth('coach')
  @TakesUploads()
  async save(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const current = await this.site.current();
    const form = await validateForm(UpdateSiteDto, siteValues(body));
    const fail = async (
      errors: Record<string, string[]> | undefined,
      error: string | null,
      status: number,
    ) =>
      renderPage(
        req,
        reply,
        'site/edit',
        {
          title: 'Your site',
          values: body,
          photo: current.photo,
          linkRows: LINK_ROWS,
          errors,
          error,
        },
        status,
      );
    if (!form.ok) return fail(form.errors, null, 400);
    let photoImageId = body.removePhoto === 'on' ? null : current.photoImageId;
    try {
      if (Buffer.isBuffer(body.photo) && body.photo.length > 0) {
        photoImageId = (await this.images.upload(body.photo, `${form.value.coachName}`)).id;
      }
      await this.site.update({ ...form.value, photoImageId });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return fail(e.details, e.message, e.status);
    }
    redirect(reply, '/coach/site?saved=1');
  }
}
