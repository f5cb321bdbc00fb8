import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { AppSecretsRepository } from './crypto/app-secrets.repository';
import { KeyChecksRepository } from './crypto/key-checks.repository';
import { EncryptionService } from './crypto/encryption.service';
import { LinkSigner } from './crypto/link-signer';
import { RateLimitRepository } from './rate-limit/rate-limit.repository';
import { RateLimitService } from './rate-limit/rate-limit.service';

@Global()
@Module({
  providers: [
    RateLimitRepository,
    RateLimitService,
    Clock,
    KeyChecksRepository,
    AppSecretsRepository,
    EncryptionService,
    LinkSigner,
  ],
  exports: [RateLimitService, Clock, EncryptionService, LinkSigner],
})
export class CommonModule {}
