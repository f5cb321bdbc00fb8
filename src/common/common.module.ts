import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { EncryptionService } from './crypto/encryption.service';
import { LinkSigner } from './crypto/link-signer';
import { RateLimitService } from './rate-limit/rate-limit.service';

@Global()
@Module({
  providers: [RateLimitService, Clock, EncryptionService, LinkSigner],
  exports: [RateLimitService, Clock, EncryptionService, LinkSigner],
})
export class CommonModule {}
