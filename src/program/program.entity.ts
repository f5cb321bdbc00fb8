import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The practice's one program (a single row, id 1): what it is, what it costs, how steps drip. */
@Entity('program')
@Check('CHK_program_single_row', `"id" = 1`)
@Check('CHK_program_price', `"price" >= 0`)
@Check('CHK_program_drip_days', `"drip_days" BETWEEN 0 AND 365`)
export class Program {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  /** Minor units. */
  @Column({ type: 'integer' })
  price: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'drip_days', type: 'integer' })
  dripDays: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One of the 12 steps: a public title and summary; a member-only Markdown body and prompts. */
@Entity('program_steps')
@Check('CHK_program_steps_number', `"number" BETWEEN 1 AND 12`)
export class ProgramStep {
  @PrimaryColumn({ type: 'smallint' })
  number: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  summary: string;

  /** Markdown; rendered and sanitised on the way out. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb' })
  prompts: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
