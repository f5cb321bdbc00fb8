import { Injectable } from '@nestjs/common';

/**
 * The app's notion of "now". Rules take `now` as a parameter; services read it here, so tests can
 * move time (drip waits, expired holds, reminders) without sleeping.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Tests only: move the clock forward (or back). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
