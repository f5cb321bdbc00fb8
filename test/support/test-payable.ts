import { EntityManager } from 'typeorm';
import {
  PaidOutcome,
  PayableHandler,
  PayableKind,
  PAYMENTS,
  PaymentsPort,
} from '../../src/payments/payable';
import { TestApp } from './app';

export interface PayableCall {
  call: 'paid' | 'failed' | 'refunded';
  referenceId: string;
  paymentId: string;
}

/**
 * A stand-in for what is paid for (a booking, an enrollment): it records each call in a table,
 * inside the payments transaction, so a rolled-back effect leaves no record, exactly like a real
 * handler's writes.
 */
export class RecordingPayable implements PayableHandler {
  /** What onPaid answers per reference (default 'fulfilled'). */
  readonly outcomes = new Map<string, PaidOutcome>();

  constructor(private readonly t: TestApp) {}

  static async install(t: TestApp, kind: PayableKind = 'booking'): Promise<RecordingPayable> {
    await t.dataSource.query(
      `CREATE TABLE IF NOT EXISTS test_payable_calls (seq serial PRIMARY KEY, call text NOT NULL, reference_id uuid NOT NULL, payment_id uuid NOT NULL)`,
    );
    const recorder = new RecordingPayable(t);
    t.app.get<PaymentsPort>(PAYMENTS).registerHandler(kind, recorder);
    return recorder;
  }

  async onPaid(
    manager: EntityManager,
    referenceId: string,
    paymentId: string,
  ): Promise<PaidOutcome> {
    await this.record(manager, 'paid', referenceId, paymentId);
    return this.outcomes.get(referenceId) ?? 'fulfilled';
  }

  async onPaymentFailed(
    manager: EntityManager,
    referenceId: string,
    paymentId: string,
  ): Promise<void> {
    await this.record(manager, 'failed', referenceId, paymentId);
  }

  async onRefunded(manager: EntityManager, referenceId: string, paymentId: string): Promise<void> {
    await this.record(manager, 'refunded', referenceId, paymentId);
  }

  async calls(referenceId: string): Promise<PayableCall['call'][]> {
    const rows: { call: PayableCall['call'] }[] = await this.t.dataSource.query(
      `SELECT call FROM test_payable_calls WHERE reference_id = $1 ORDER BY seq`,
      [referenceId],
    );
    return rows.map((r) => r.call);
  }

  private async record(
    manager: EntityManager,
    call: PayableCall['call'],
    referenceId: string,
    paymentId: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO test_payable_calls (call, reference_id, payment_id) VALUES ($1, $2, $3)`,
      [call, referenceId, paymentId],
    );
  }
}

/** Polls until `check` returns a value that is not undefined/false (background jobs), or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('eventually: the condition was not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
