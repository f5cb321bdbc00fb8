import { IdParam } from '../common/id-param';
import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Audit, AuditContext } from '../audit/audit-context';
import { ClientNotesService } from './client-notes.service';
import { ClientsService } from './clients.service';
import { DataRightsService, PersonalDataExport } from './data-rights.service';
import {
  ClientDetailDto,
  ClientNoteDto,
  ClientNoteInDto,
  ClientsQueryDto,
  ClientSummaryDto,
  DeleteAccountDto,
} from './dto/clients.dto';

@ApiTags('clients')
@Controller('api')
export class ClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly dataRights: DataRightsService,
    private readonly notes: ClientNotesService,
  ) {}

  @Get('clients')
  @Auth('coach')
  @ApiResponse({ status: 200, type: [ClientSummaryDto] })
  list(@Query() q: ClientsQueryDto): Promise<ClientSummaryDto[]> {
    return this.clients.list(q.search);
  }

  @Get('clients/:id')
  @Auth('coach')
  @ApiResponse({ status: 200, type: ClientDetailDto })
  detail(@IdParam() id: string): Promise<ClientDetailDto> {
    return this.clients.detail(id);
  }

  @Get('clients/:id/notes')
  @Auth('coach')
  @ApiOperation({
    summary:
      'The coach’s private notes about a client (encrypted at rest; never shown to the client)',
  })
  @ApiResponse({ status: 200, type: [ClientNoteDto] })
  listNotes(@IdParam() id: string, @Audit() ctx: AuditContext): Promise<ClientNoteDto[]> {
    return this.notes.list(id, ctx);
  }

  @Post('clients/:id/notes')
  @Auth('coach')
  @ApiResponse({ status: 201, type: ClientNoteDto })
  addNote(
    @IdParam() id: string,
    @CurrentUser() coach: User,
    @Body() dto: ClientNoteInDto,
  ): Promise<ClientNoteDto> {
    return this.notes.add(id, coach.id, dto.text);
  }

  @Get('me/export')
  @Auth()
  @ApiOperation({ summary: 'Everything Mend holds about you, as JSON' })
  export(@CurrentUser() user: User, @Audit() ctx: AuditContext): Promise<PersonalDataExport> {
    return this.dataRights.exportFor(user, ctx);
  }

  @Delete('me')
  @Auth()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Erase your account and personal data (future sessions are cancelled and refunded)',
  })
  async erase(
    @CurrentUser() user: User,
    @Body() dto: DeleteAccountDto,
    @Audit() ctx: AuditContext,
  ): Promise<void> {
    await this.dataRights.erase(user, dto.password, ctx);
  }
}
