import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditController } from './audit.controller';
import { AuditPagesController } from './audit.pages.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The append-only audit trail of reads of private writing, exports, erasures and key rotations. */
@Module({
  imports: [AccountsModule],
  controllers: [AuditController, AuditPagesController],
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
