import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { EncryptionService } from './crypto/encryption.service';
import { RateLimitService } from './rate-limit/rate-limit.service';

@Global()
@Module({ providers: [RateLimitService, Clock, EncryptionService], exports: [RateLimitService, Clock, EncryptionService] })
export class CommonModule {}
