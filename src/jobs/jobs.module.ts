import { DynamicModule, Global, Module } from '@nestjs/common';
import { JOBS_OPTIONS, JobsOptions } from './jobs.options';
import { JobsService } from './jobs.service';

@Global()
@Module({})
export class JobsModule {
  static forRoot(options: JobsOptions): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: JOBS_OPTIONS, useValue: options }, JobsService],
      exports: [JobsService],
    };
  }
}
