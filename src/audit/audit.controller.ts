import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../accounts/auth.decorators';
import { AUDIT_PAGE_DEFAULT, AuditService } from './audit.service';
import { AuditEntryDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Auth('coach')
  @ApiOperation({
    summary:
      'The audit trail, newest first (ids only, never any text); page with ?before=<last id>',
  })
  @ApiResponse({ status: 200, type: [AuditEntryDto] })
  list(@Query() q: AuditQueryDto): Promise<AuditEntryDto[]> {
    return this.audit.list(q.limit ?? AUDIT_PAGE_DEFAULT, q.before ?? null);
  }
}
