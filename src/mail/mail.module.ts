import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { MAIL_CONCURRENCY, MailDelivery } from './mail-delivery';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailRenderers } from './mail-renderers';
import { MAIL_TRANSPORT, smtpTransport } from './mail-transport';
import { MailService } from './mail.service';
import { OutboxMail } from './outbox-mail.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMail])],
  providers: [
    MailService,
    MailDelivery,
    MailOutboxRepository,
    MailRenderers,
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.mail.url ? smtpTransport(config.mail.url, MAIL_CONCURRENCY) : null,
    },
  ],
  exports: [MailService],
})
export class MailModule {}
