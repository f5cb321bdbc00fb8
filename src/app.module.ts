import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { BookingsModule } from './bookings/bookings.module';
import { CalendarsModule } from './calendars/calendars.module';
import { ClientsModule } from './clients/clients.module';
import { CommonModule } from './common/common.module';
import { ContentModule } from './content/content.module';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { loggerParams } from './logging';
import { MailModule } from './mail/mail.module';
import { PaymentsModule } from './payments/payments.module';
import { PublicCacheModule } from './public-cache/public-cache.module';
import { ProgramModule } from './program/program.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { SeedModule } from './seed/seed.module';
import { ImagesModule } from './images/images.module';
import { SiteModule } from './site/site.module';
import { WebModule } from './web/web.module';

export interface AppModuleOptions {
  /** The connection string to use (the embedded server's when DATABASE_URL is unset). */
  databaseUrl: string;
  /** Run job workers in this instance (tests may turn them off). */
  workers?: boolean;
  poolSize?: number;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl, { poolSize: options.poolSize }),
        }),
        JobsModule.forRoot({
          connectionString: options.databaseUrl,
          workers: options.workers ?? true,
          pollingIntervalSeconds: config.nodeEnv === 'test' ? 0.5 : 2,
        }),
        CommonModule,
        PublicCacheModule,
        MailModule,
        ImagesModule,
        SiteModule,
        AccountsModule,
        AuditModule,
        PaymentsModule,
        ContentModule,
        HealthModule,
        SchedulingModule,
        BookingsModule,
        CalendarsModule,
        ClientsModule,
        WebModule,
        ProgramModule,
        SeedModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
