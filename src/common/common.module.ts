import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { RateLimitService } from './rate-limit/rate-limit.service';

@Global()
@Module({ providers: [RateLimitService, Clock], exports: [RateLimitService, Clock] })
export class CommonModule {}
