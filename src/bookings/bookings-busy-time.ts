import { Injectable, OnModuleInit } from '@nestjs/common';
import { BusyTimeRegistry, BusyTimeSource } from '../scheduling/busy-time';
import { BookingsRepository } from './bookings.repository';

/** Mend's own active bookings, as scheduling's `sessions` busy-time source. */
@Injectable()
export class BookingsBusyTime implements BusyTimeSource, OnModuleInit {
  readonly kind = 'sessions' as const;

  constructor(
    private readonly registry: BusyTimeRegistry,
    private readonly bookings: BookingsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  busyRangesSql(): string {
    return this.bookings.activeBusyRangesSql();
  }
}
