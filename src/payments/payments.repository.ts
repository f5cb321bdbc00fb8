import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, In, IsNull, LessThan } from 'typeorm';
import { PayableKind } from './payable';
import { Payment } from './payment.entity';

/** The payments module's tables: payments, and the Stripe events already acted on. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a Stripe event id inside the transaction that applies it; false when it was already
   * recorded (a redelivery, or a concurrent delivery that committed first).
   */
  async recordEvent(m: EntityManager, id: string, type: string): Promise<boolean> {
    const inserted = (await m.query(
      `INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, type],
    )) as unknown[];
    return inserted.length > 0;
  }

  /** Loads and locks one payment row for the rest of the transaction. */
  lock(m: EntityManager, where: FindOptionsWhere<Payment>): Promise<Payment | null> {
    return m.findOne(Payment, { where, lock: { mode: 'pessimistic_write' } });
  }

  /** The newest payment of what was paid for that has been paid (and maybe refunded), locked. */
  lockLatestPaid(
    m: EntityManager,
    kind: PayableKind,
    referenceId: string,
  ): Promise<Payment | null> {
    return m.findOne(Payment, {
      where: { kind, referenceId, status: In(['succeeded', 'refund_pending', 'refunded']) },
      order: { createdAt: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async save(m: EntityManager, payment: Payment): Promise<void> {
    await m.save(payment);
  }

  find(where: FindOptionsWhere<Payment>): Promise<Payment | null> {
    return this.dataSource.manager.findOneBy(Payment, where);
  }

  existsWithPaymentIntent(paymentIntentId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(Payment, { paymentIntentId });
  }

  async insert(payment: Partial<Payment>): Promise<Payment> {
    return this.dataSource.manager.save(this.dataSource.manager.create(Payment, payment));
  }

  /** Fills in what a payment learnt about itself (checkout URL, session, PaymentIntent). */
  async setCheckout(
    id: string,
    fields: Partial<Pick<Payment, 'checkoutUrl' | 'checkoutSessionId' | 'paymentIntentId'>>,
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await m.update(Payment, { id }, fields);
  }

  /** A pending payment whose checkout could not be created fails with the reason. */
  async markCheckoutFailed(id: string, reason: string): Promise<void> {
    await this.dataSource.manager.update(
      Payment,
      { id, status: 'pending' },
      { status: 'failed', failureReason: reason },
    );
  }

  /**
   * Pending checkouts past their expiry (test mode at once, Stripe's after `graceMs`, as a lost
   * webhook may still arrive), oldest first, at most 50.
   */
  pendingExpired(now: Date, graceMs: number): Promise<Payment[]> {
    return this.dataSource.manager.find(Payment, {
      where: [
        { status: 'pending', testMode: true, expiresAt: LessThan(now) },
        {
          status: 'pending',
          testMode: false,
          expiresAt: LessThan(new Date(now.getTime() - graceMs)),
        },
      ],
      order: { expiresAt: 'ASC' },
      take: 50,
    });
  }

  /** A payer's payments, newest first. */
  ofCustomer(email: string): Promise<Payment[]> {
    return this.dataSource.manager.find(Payment, {
      where: { customerEmail: email },
      order: { createdAt: 'DESC' },
    });
  }

  /** Removes the payer's email from their payment records; returns how many. */
  async anonymiseCustomer(m: EntityManager, email: string): Promise<number> {
    const result = await m.update(Payment, { customerEmail: email }, { customerEmail: null });
    return result.affected ?? 0;
  }

  /** Every payment, newest first. */
  newest(limit: number): Promise<Payment[]> {
    return this.dataSource.manager.find(Payment, { order: { createdAt: 'DESC' }, take: limit });
  }

  /** Deletes anonymised records created before `cutoff` that nothing is moving on any more. */
  async deleteSettledAnonymisedBefore(cutoff: Date): Promise<number> {
    const result = await this.dataSource.manager.delete(Payment, {
      customerEmail: IsNull(),
      createdAt: LessThan(cutoff),
      status: In(['succeeded', 'failed', 'expired', 'refunded']),
    });
    return result.affected ?? 0;
  }
}
