import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { renderPage } from '../web/page';
import { AuditService } from './audit.service';

@ApiExcludeController()
@Controller('coach/audit')
@Auth('coach')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('before') before?: string,
  ): Promise<void> {
    const cursor = typeof before === 'string' && /^[1-9][0-9]{0,17}$/.test(before) ? before : null;
    const { rows, older } = await this.audit.page(50, cursor);
    await renderPage(req, reply, 'coach/audit', {
      title: 'Audit trail',
      rows,
      older,
      paged: cursor !== null,
    });
  }
}
