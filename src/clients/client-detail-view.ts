import { formatDate, formatShort } from '../common/dates';
import { formatMoney, formatPrice } from '../common/money';
import type { ClientDetailDto } from './dto/clients.dto';

/**
 * The coach's page about one client, as the template shows it: times in the coach's zone and
 * language (the zone named in the table's heading), money by its currency, statuses in words —
 * decided here, not in the template.
 */
export function clientDetailView(
  client: ClientDetailDto,
  notes: { createdAt: string; text: string }[],
  zone: string,
  locale: string,
) {
  const words = (status: string) => status.replace(/_/g, ' ');
  return {
    client,
    zone,
    since: formatDate(client.profile.createdAt, zone, locale),
    bookings: client.bookings.map((b) => ({
      ...b,
      when: formatShort(b.start, zone, locale),
      priceText: formatPrice(b.price, b.currency),
      statusText: words(b.status),
    })),
    intake: client.intake.map((i) => ({ ...i, day: formatDate(i.start, zone, locale) })),
    payments: client.payments.map((p) => ({
      ...p,
      day: formatDate(p.createdAt, zone, locale),
      amountText: formatMoney(p.amount, p.currency),
      refundedText: p.refundedAmount ? formatMoney(p.refundedAmount, p.currency) : null,
      statusText: words(p.status),
    })),
    notes: notes.map((n) => ({ ...n, when: formatShort(n.createdAt, zone, locale) })),
  };
}
