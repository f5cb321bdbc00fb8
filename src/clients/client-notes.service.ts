import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EncryptionService } from '../common/crypto/encryption.service';
import { ClientNote } from './client-note.entity';
import { ClientsService } from './clients.service';
import { ClientNoteDto } from './dto/clients.dto';

/** Binds a note's ciphertext to its client, so a row copied onto another client won't decrypt. */
const noteContext = (clientId: string): string => `client-note:${clientId}`;

@Injectable()
export class ClientNotesService {
  constructor(
    @InjectRepository(ClientNote) private readonly notes: Repository<ClientNote>,
    private readonly clients: ClientsService,
    private readonly encryption: EncryptionService,
  ) {}

  async add(clientId: string, authorId: string, text: string): Promise<ClientNoteDto> {
    const client = await this.clients.client(clientId);
    const sealed = this.encryption.encrypt(text.trim(), noteContext(client.id));
    const row = await this.notes.save(
      this.notes.create({ clientId: client.id, authorId, keyId: sealed.keyId, nonce: sealed.nonce, ciphertext: sealed.ciphertext }),
    );
    return { id: row.id, text: text.trim(), createdAt: row.createdAt.toISOString() };
  }

  /** Newest first. */
  async list(clientId: string): Promise<ClientNoteDto[]> {
    const client = await this.clients.client(clientId);
    const rows = await this.notes.find({ where: { clientId: client.id }, order: { createdAt: 'DESC' } });
    return rows.map((n) => ({
      id: n.id,
      text: this.encryption.decrypt({ keyId: n.keyId, nonce: n.nonce, ciphertext: n.ciphertext }, noteContext(n.clientId)),
      createdAt: n.createdAt.toISOString(),
    }));
  }
}
