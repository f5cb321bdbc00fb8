import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, notFound } from '../common/errors';
import { renderMarkdown } from '../common/markdown';
import { DEMO_PROGRAM, DEMO_STEPS } from './demo-program';
import { ProgramDto, ProgramStepFullDto, UpdateProgramDto, UpdateStepDto } from './dto/program.dto';
import { Program, ProgramStep } from './program.entity';
import { STEP_COUNT } from './unlocking';

/** A step number from a path: anything that isn't 1..12 is "not found". */
export function parseStepNumber(raw: string | number): number {
  const n = typeof raw === 'number' ? raw : /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > STEP_COUNT) throw notFound('Step');
  return n;
}

export interface StepContent {
  number: number;
  title: string;
  summary: string;
  body: string;
  bodyHtml: string;
  prompts: string[];
}

/** The program's content: what it is, what it costs, its 12 steps. */
@Injectable()
export class ProgramService {
  constructor(private readonly dataSource: DataSource) {}

  /** Pass the transaction's manager when inside one (a second pool connection can deadlock the pool). */
  async settings(m: EntityManager = this.dataSource.manager): Promise<Program> {
    const program = await m.findOne(Program, { where: { id: 1 } });
    if (!program) throw notFound('The program');
    return program;
  }

  async publicProgram(): Promise<ProgramDto> {
    const program = await this.settings();
    const steps = await this.steps();
    return {
      title: program.title,
      description: program.description,
      price: program.price,
      currency: program.currency,
      dripDays: program.dripDays,
      steps: steps.map((s) => ({ number: s.number, title: s.title, summary: s.summary })),
    };
  }

  async update(dto: UpdateProgramDto): Promise<ProgramDto> {
    await this.settings();
    const patch: Partial<Program> = {};
    if (dto.title !== undefined) patch.title = dto.title.trim();
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.price !== undefined) patch.price = dto.price;
    if (dto.currency !== undefined) patch.currency = dto.currency;
    if (dto.dripDays !== undefined) patch.dripDays = dto.dripDays;
    if (Object.keys(patch).length) await this.dataSource.manager.update(Program, { id: 1 }, patch);
    return this.publicProgram();
  }

  /** All 12 steps, in order (a step never written yet has empty placeholder content). */
  /** Pass the transaction's manager when called inside one (a second pooled connection per request can exhaust the pool). */
  async steps(m: EntityManager = this.dataSource.manager): Promise<StepContent[]> {
    const rows = await m.find(ProgramStep, { order: { number: 'ASC' } });
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    return Array.from({ length: STEP_COUNT }, (_, i) =>
      this.toContent(byNumber.get(i + 1) ?? null, i + 1),
    );
  }

  async step(n: number, m: EntityManager = this.dataSource.manager): Promise<StepContent> {
    const row = await m.findOne(ProgramStep, { where: { number: n } });
    return this.toContent(row, n, true);
  }

  async fullStep(n: number): Promise<ProgramStepFullDto> {
    const s = await this.step(n);
    return {
      number: s.number,
      title: s.title,
      summary: s.summary,
      body: s.body,
      prompts: s.prompts,
    };
  }

  async putStep(n: number, dto: UpdateStepDto): Promise<ProgramStepFullDto> {
    const prompts = dto.prompts.map((p) => p.trim()).filter((p) => p.length > 0);
    if (!dto.title.trim())
      throw new DomainError('VALIDATION_FAILED', 'Please check: title.', {
        title: ['title is required'],
      });
    await this.dataSource.manager.upsert(
      ProgramStep,
      { number: n, title: dto.title.trim(), summary: dto.summary.trim(), body: dto.body, prompts },
      ['number'],
    );
    return this.fullStep(n);
  }

  /** Demo content on a fresh database (idempotent: only when the program table is empty). */
  async seedDemo(): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO program (id, title, description, price, currency, drip_days) VALUES (1, $1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          DEMO_PROGRAM.title,
          DEMO_PROGRAM.description,
          DEMO_PROGRAM.price,
          DEMO_PROGRAM.currency,
          DEMO_PROGRAM.dripDays,
        ],
      );
      if (!inserted.length) return false;
      for (const [i, s] of DEMO_STEPS.entries()) {
        await m.query(
          `INSERT INTO program_steps (number, title, summary, body, prompts) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (number) DO NOTHING`,
          [i + 1, s.title, s.summary, s.body, JSON.stringify(s.prompts)],
        );
      }
      return true;
    });
  }

  private toContent(row: ProgramStep | null, n: number, render = false): StepContent {
    const body = row?.body ?? '';
    return {
      number: n,
      title: row?.title ?? `Step ${n}`,
      summary: row?.summary ?? '',
      body,
      bodyHtml: render ? renderMarkdown(body) : '',
      prompts: row?.prompts ?? [],
    };
  }
}
