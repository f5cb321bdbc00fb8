import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusyRange, BusyTimeRegistry, BusyTimeSource } from '../scheduling/busy-time';
import { CalendarsRepository } from './calendars.repository';

/** The coach's external calendars, as scheduling's `blocks` busy-time source. */
@Injectable()
export class CalendarsBusyTime implements BusyTimeSource, OnModuleInit {
  readonly kind = 'blocks' as const;

  constructor(
    private readonly registry: BusyTimeRegistry,
    private readonly calendars: CalendarsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  busyRanges(m: EntityManager, coachId: string, from: Date, to: Date): Promise<BusyRange[]> {
    return this.calendars.busyRanges(m, coachId, from, to);
  }
}
