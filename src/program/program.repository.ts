import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Program, ProgramStep } from './program.entity';

/** What a new program row holds (the demo seed). */
export interface NewProgram {
  title: string;
  description: string;
  price: number;
  currency: string;
  dripDays: number;
}

/** The program without the steps' bodies: what its pages and the members' overview show. */
export interface ProgramOutline {
  title: string;
  description: string;
  price: number;
  currency: string;
  dripDays: number;
  /** Only the steps written so far, in order. */
  steps: { number: number; title: string; summary: string }[];
}

/** What one step's content row holds. */
export interface StepContentRow {
  number: number;
  title: string;
  summary: string;
  body: string;
  prompts: string[];
}

/**
 * The program's own tables: `program` (one row, id 1: title, price, drip wait) and
 * `program_steps` (the content of each of the 12 steps). Methods take the caller's transaction
 * manager when they run inside one.
 */
@Injectable()
export class ProgramRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The program's settings row, or null before it was ever created. */
  findSettings(m: EntityManager = this.dataSource.manager): Promise<Program | null> {
    return m.findOne(Program, { where: { id: 1 } });
  }

  /** The settings with every written step's title and summary, in one query; null with no program. */
  async findOutline(m: EntityManager = this.dataSource.manager): Promise<ProgramOutline | null> {
    const [row]: {
      title: string;
      description: string;
      price: number;
      currency: string;
      drip_days: number;
      steps: { number: number; title: string; summary: string }[];
    }[] = await m.query(
      `SELECT p.title, p.description, p.price, p.currency, p.drip_days,
              COALESCE((SELECT json_agg(json_build_object('number', s.number, 'title', s.title, 'summary', s.summary)
                                 ORDER BY s.number)
                        FROM program_steps s), '[]'::json) AS steps
       FROM program p WHERE p.id = 1`,
    );
    if (!row) return null;
    return {
      title: row.title,
      description: row.description,
      price: row.price,
      currency: row.currency,
      dripDays: row.drip_days,
      steps: row.steps,
    };
  }

  async updateSettings(patch: Partial<Program>): Promise<void> {
    await this.dataSource.manager.update(Program, { id: 1 }, patch);
  }

  /** The step rows written so far, by number (a step never written has no row). */
  findSteps(m: EntityManager = this.dataSource.manager): Promise<ProgramStep[]> {
    return m.find(ProgramStep, { order: { number: 'ASC' } });
  }

  findStep(n: number, m: EntityManager = this.dataSource.manager): Promise<ProgramStep | null> {
    return m.findOne(ProgramStep, { where: { number: n } });
  }

  async saveStep(step: StepContentRow): Promise<void> {
    await this.dataSource.manager.upsert(ProgramStep, step, ['number']);
  }

  /** Creates the program row unless one exists; true when this call created it. */
  async createSettingsIfAbsent(m: EntityManager, p: NewProgram): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO program (id, title, description, price, currency, drip_days) VALUES (1, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [p.title, p.description, p.price, p.currency, p.dripDays],
    );
    return inserted.length > 0;
  }

  /** Writes a step's content unless that step already has some. */
  async createStepIfAbsent(m: EntityManager, s: StepContentRow): Promise<void> {
    await m.query(
      `INSERT INTO program_steps (number, title, summary, body, prompts) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (number) DO NOTHING`,
      [s.number, s.title, s.summary, s.body, JSON.stringify(s.prompts)],
    );
  }
}
