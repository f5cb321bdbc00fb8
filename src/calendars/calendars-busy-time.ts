import { Injectable, OnModuleInit } from '@nestjs/common';
import { BusyTimeRegistry, BusyTimeSource } from '../scheduling/busy-time';
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

  busyRangesSql(): string {
    return this.calendars.busyRangesSql();
  }
}
