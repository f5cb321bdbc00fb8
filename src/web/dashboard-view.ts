/** The coach's dashboard as a view model: counts, the next sessions, recent payments, her name. */

export interface DashboardInput {
  displayName: string;
  zone: string;
  today: string;
  sessions: { day: string; when: string; name: string; type: string }[];
  pendingComments: number;
  newSubscribers: number;
  payments: { description: string; amountText: string; status: string; at: string }[];
}

export interface DashboardView {
  /** Null until she has told us her name (empty, or the seeded "Coach"). */
  name: string | null;
  counts: { label: string; count: number; href: string }[];
  next: { when: string; name: string; type: string }[];
  payments: { description: string; amountText: string; status: string; at: string }[];
}

const STATUS_WORDS: Record<string, string> = {
  succeeded: 'paid',
  refund_pending: 'refund on its way',
  refunded: 'refunded',
  failed: 'failed',
};

/** "Coach" is the seeded placeholder, not a name a client should read. */
export function hasRealName(displayName: string): boolean {
  const name = displayName.trim();
  return name !== '' && !/^(coach|your coach)$/i.test(name);
}

export function dashboardView(input: DashboardInput): DashboardView {
  const todays = input.sessions.filter((s) => s.day === input.today).length;
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  return {
    name: hasRealName(input.displayName) ? input.displayName.trim() : null,
    counts: [
      {
        label: plural(todays, 'session today', 'sessions today'),
        count: todays,
        href: '/coach/sessions',
      },
      {
        label: plural(input.sessions.length - todays, 'session coming up', 'sessions coming up'),
        count: input.sessions.length - todays,
        href: '/coach/sessions',
      },
      {
        label: plural(input.pendingComments, 'comment waiting', 'comments waiting'),
        count: input.pendingComments,
        href: '/coach/comments',
      },
      {
        label: plural(
          input.newSubscribers,
          'new subscriber this week',
          'new subscribers this week',
        ),
        count: input.newSubscribers,
        href: '/coach/subscribers',
      },
      {
        label: plural(input.payments.length, 'payment this week', 'payments this week'),
        count: input.payments.length,
        href: '/coach/payments',
      },
    ],
    next: input.sessions.slice(0, 3).map(({ when, name, type }) => ({ when, name, type })),
    payments: input.payments
      .slice(0, 3)
      .map((p) => ({ ...p, status: STATUS_WORDS[p.status] ?? p.status })),
  };
}
