import { DynamicModule, Global, Module } from '@nestjs/common';
import { JOBS_OPTIONS, JobsOptions } from './jobs.options';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

@Global()
@Module({})
export class JobsModule {
  static forRoot(options: JobsOptions): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: JOBS_OPTIONS, useValue: options }, JobsService, JobsRepository],
      exports: [JobsService],
    };
  }
}
