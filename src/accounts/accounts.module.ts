import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsPagesController } from './accounts.pages.controller';
import { AccountsService } from './accounts.service';
import { AuthSession } from './auth-session.entity';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { CredentialsRepository } from './credentials.repository';
import { PasswordResetToken } from './password-reset-token.entity';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User, AuthSession, PasswordResetToken])],
  controllers: [AuthController, AccountsPagesController],
  providers: [
    UsersRepository,
    CredentialsRepository,
    AccountsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AccountsService],
})
export class AccountsModule {}
