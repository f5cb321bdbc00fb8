import { PageData } from '../../web/page';

/** The newsletter page's states (views/content/newsletter.eta), each with its title. */
const TITLES = {
  invalid: 'A slice in your inbox',
  check_email: 'Check your email',
  confirm: 'Confirm your subscription',
  confirmed: 'You are subscribed',
  expired: 'This link has expired',
  unsubscribe: 'Unsubscribe',
  unsubscribed: 'You are unsubscribed',
  error: 'Unsubscribe',
} as const;

export type NewsletterState = keyof typeof TITLES;

/** The page for a state; `expired` shows as the error state under its own title. */
export function newsletterPage(
  state: NewsletterState,
  extra: Record<string, unknown> = {},
): PageData {
  return { title: TITLES[state], state: state === 'expired' ? 'error' : state, ...extra };
}
