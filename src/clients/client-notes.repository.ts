import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClientNote } from './client-note.entity';

/** The coach's private notes about clients, stored encrypted (the service seals and opens them). */
@Injectable()
export class ClientNotesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The ids of the keys notes are encrypted under. */
  async keyIdsInUse(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT key_id FROM client_notes`)) as {
      key_id: string;
    }[];
    return rows.map((r) => r.key_id);
  }

  add(
    note: Pick<ClientNote, 'clientId' | 'authorId' | 'keyId' | 'nonce' | 'ciphertext'>,
  ): Promise<ClientNote> {
    const repo = this.dataSource.getRepository(ClientNote);
    return repo.save(repo.create(note));
  }

  /** A client's notes, newest first. */
  ofClient(clientId: string): Promise<ClientNote[]> {
    return this.dataSource.getRepository(ClientNote).find({
      where: { clientId },
      order: { createdAt: 'DESC' },
    });
  }
}
