import { formatDate, formatMoment } from '../common/dates';
import { PageData } from '../web/page';
import { CommentDto } from './dto/comment.dto';
import { SubscriberDto } from './dto/newsletter.dto';

/** View models of the coach's comments and subscribers pages: times in her zone, not UTC. */

/** How many approved comments the moderation page lists under "Recently approved". */
export const RECENTLY_APPROVED = 30;

const withTime = (c: CommentDto, zone: string) => ({
  ...c,
  createdLabel: formatMoment(c.createdAt, zone),
});

export function commentsPage(
  pending: CommentDto[],
  approved: CommentDto[],
  zone: string,
): PageData {
  return {
    title: 'Comments',
    pending: pending.map((c) => withTime(c, zone)),
    approved: approved.slice(0, RECENTLY_APPROVED).map((c) => withTime(c, zone)),
  };
}

const STATUS_LABELS: Record<string, string> = {
  pending: 'Waiting to confirm',
  confirmed: 'Confirmed',
  unsubscribed: 'Unsubscribed',
};

export function subscribersPage(
  subscribers: SubscriberDto[],
  counts: Record<string, number>,
  zone: string,
): PageData {
  return {
    title: 'Subscribers',
    counts: {
      confirmed: counts.confirmed ?? 0,
      pending: counts.pending ?? 0,
      unsubscribed: counts.unsubscribed ?? 0,
    },
    subscribers: subscribers.map((s) => ({
      email: s.email,
      statusLabel: STATUS_LABELS[s.status] ?? s.status,
      subscribedLabel: formatDate(s.createdAt, zone),
      confirmedLabel: s.confirmedAt ? formatDate(s.confirmedAt, zone) : '—',
    })),
  };
}
