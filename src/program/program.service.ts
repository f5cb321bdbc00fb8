import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, notFound } from '../common/errors';
import { renderMarkdown } from '../common/markdown';
import { DEMO_PROGRAM, DEMO_STEPS } from './demo-program';
import { ProgramDto, ProgramStepFullDto, UpdateProgramDto, UpdateStepDto } from './dto/program.dto';
import { Program, ProgramStep } from './program.entity';
import { ProgramRepository } from './program.repository';
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

/**
 * How long one instance reuses the program's outline (title, price, step titles) for display:
 * its own edits show at once, another instance's within this time (as the site settings do).
 * What decides anything (price at checkout, the drip wait) is always read fresh.
 */
const OUTLINE_CACHE_MS = 5_000;

/** The program's content: what it is, what it costs, its 12 steps. */
@Injectable()
export class ProgramService {
  private outlineCache: { dto: ProgramDto; titles: string[]; until: number } | null = null;
  /** Bumped by every local change: a read that started before one must not be kept. */
  private outlineGeneration = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ProgramRepository,
  ) {}

  /** Pass the transaction's manager when inside one (a second pool connection can deadlock the pool). */
  async settings(m?: EntityManager): Promise<Program> {
    const program = await this.repo.findSettings(m);
    if (!program) throw notFound('The program');
    return program;
  }

  /** The program as its pages show it (every page view reads it: from a short-lived copy). */
  async publicProgram(m?: EntityManager): Promise<ProgramDto> {
    return (await this.outline(m)).dto;
  }

  /** The 12 steps' titles, in order (for display: see publicProgram). Pass the transaction's manager inside one. */
  async stepTitles(m?: EntityManager): Promise<string[]> {
    return (await this.outline(m)).titles;
  }

  private async outline(m?: EntityManager): Promise<{ dto: ProgramDto; titles: string[] }> {
    const now = Date.now();
    if (this.outlineCache && this.outlineCache.until > now) return this.outlineCache;
    const generation = this.outlineGeneration;
    const outline = await this.repo.findOutline(m);
    if (!outline) throw notFound('The program');
    const byNumber = new Map(outline.steps.map((s) => [s.number, s]));
    const dto: ProgramDto = {
      title: outline.title,
      description: outline.description,
      price: outline.price,
      currency: outline.currency,
      dripDays: outline.dripDays,
      steps: Array.from({ length: STEP_COUNT }, (_, i) => {
        const s = byNumber.get(i + 1);
        return { number: i + 1, title: s?.title ?? `Step ${i + 1}`, summary: s?.summary ?? '' };
      }),
    };
    // Shared by every reader until it expires: frozen, so that none can change it for the others.
    dto.steps.forEach((s) => Object.freeze(s));
    Object.freeze(dto.steps);
    Object.freeze(dto);
    const titles = Object.freeze(dto.steps.map((s) => s.title)) as string[];
    const fresh = { dto, titles, until: now + OUTLINE_CACHE_MS };
    if (generation === this.outlineGeneration) this.outlineCache = fresh;
    return fresh;
  }

  /** After this instance changed the program: the next read is fresh. */
  private forgetOutline(): void {
    this.outlineCache = null;
    this.outlineGeneration++;
  }

  async update(dto: UpdateProgramDto): Promise<ProgramDto> {
    await this.settings();
    const patch: Partial<Program> = {};
    if (dto.title !== undefined) patch.title = dto.title.trim();
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.price !== undefined) patch.price = dto.price;
    if (dto.currency !== undefined) patch.currency = dto.currency;
    if (dto.dripDays !== undefined) patch.dripDays = dto.dripDays;
    if (Object.keys(patch).length) {
      await this.repo.updateSettings(patch);
      this.forgetOutline();
    }
    return this.publicProgram();
  }

  /** All 12 steps, in order (a step never written yet has empty placeholder content). */
  /** Pass the transaction's manager when called inside one (a second pooled connection per request can exhaust the pool). */
  async steps(m?: EntityManager): Promise<StepContent[]> {
    const rows = await this.repo.findSteps(m);
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    return Array.from({ length: STEP_COUNT }, (_, i) =>
      this.toContent(byNumber.get(i + 1) ?? null, i + 1),
    );
  }

  async step(n: number, m?: EntityManager): Promise<StepContent> {
    const row = await this.repo.findStep(n, m);
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
    await this.repo.saveStep({
      number: n,
      title: dto.title.trim(),
      summary: dto.summary.trim(),
      body: dto.body,
      prompts,
    });
    this.forgetOutline();
    return this.fullStep(n);
  }

  /** Demo content on a fresh database (idempotent: only when the program table is empty). */
  async seedDemo(): Promise<boolean> {
    const seeded = await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.createSettingsIfAbsent(m, DEMO_PROGRAM))) return false;
      for (const [i, s] of DEMO_STEPS.entries())
        await this.repo.createStepIfAbsent(m, { number: i + 1, ...s });
      return true;
    });
    if (seeded) this.forgetOutline();
    return seeded;
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
