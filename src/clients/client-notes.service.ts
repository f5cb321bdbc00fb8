import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { EncryptionService } from '../common/crypto/encryption.service';
import { ClientNotesRepository } from './client-notes.repository';
import { ClientsService } from './clients.service';
import { ClientNoteDto } from './dto/clients.dto';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';

/** Binds a note's ciphertext to its client, so a row copied onto another client won't decrypt. */
const noteContext = (clientId: string): string => `client-note:${clientId}`;

const REENCRYPT_QUEUE = 'client-notes-reencrypt';

@Injectable()
export class ClientNotesService implements OnModuleInit {
  private readonly logger = new Logger(ClientNotesService.name);

  constructor(
    private readonly notes: ClientNotesRepository,
    private readonly clients: ClientsService,
    private readonly encryption: EncryptionService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {}

  /** Refuses to start when notes use a key that is not configured; re-encrypts after a rotation. */
  async onModuleInit(): Promise<void> {
    this.encryption.assertKeysConfigured(await this.notes.keyIdsInUse(), 'client notes');
    this.jobs.register(
      REENCRYPT_QUEUE,
      async () => {
        const count = await this.reencrypt();
        if (count) this.logger.log({ count }, 'client notes re-encrypted under the current key');
      },
      { retryLimit: 2, retryDelay: 60 },
    );
    this.jobs.schedule(REENCRYPT_QUEUE, '*/10 * * * *');
  }

  /** After a key rotation: re-encrypts notes under the current key; a run that moved any is audited. */
  async reencrypt(batch = 200): Promise<number> {
    const count = await this.encryption.reencryptTable<{ client_id: string }>(
      'client_notes',
      ['client_id'],
      (r) => noteContext(r.client_id),
      batch,
    );
    if (count) await this.audit.keyRotated('client_notes', this.encryption.keyId);
    return count;
  }

  async add(clientId: string, authorId: string, text: string): Promise<ClientNoteDto> {
    const client = await this.clients.client(clientId);
    const sealed = this.encryption.encrypt(text.trim(), noteContext(client.id));
    const row = await this.notes.add({
      clientId: client.id,
      authorId,
      keyId: sealed.keyId,
      nonce: sealed.nonce,
      ciphertext: sealed.ciphertext,
    });
    return { id: row.id, text: text.trim(), createdAt: row.createdAt.toISOString() };
  }

  /** Newest first. Every read is written to the audit trail first (a read that can't be recorded doesn't happen). */
  async list(clientId: string, ctx: AuditContext): Promise<ClientNoteDto[]> {
    const client = await this.clients.client(clientId);
    await this.audit.clientNotesRead(ctx, client.id);
    const rows = await this.notes.ofClient(client.id);
    return rows.map((n) => ({
      id: n.id,
      text: this.encryption.decrypt(
        { keyId: n.keyId, nonce: n.nonce, ciphertext: n.ciphertext },
        noteContext(n.clientId),
      ),
      createdAt: n.createdAt.toISOString(),
    }));
  }
}
