import { SiteLink } from './site-settings.entity';

/** What the site says before the coach has written her own (and the fallback for an empty footer). */
export const CRISIS_NOTE =
  'Coaching is not therapy or crisis care. If you are in danger, please contact your local emergency number.';

export interface SiteIdentity {
  name: string;
  tagline: string;
  coachName: string;
  bio: string;
  photoImageId: string | null;
  aboutMarkdown: string;
  footer: string;
  contactEmail: string;
  links: SiteLink[];
}

export const DEFAULT_SITE: SiteIdentity = {
  name: 'Your practice',
  tagline: 'Repair over perfection.',
  coachName: 'Your coach',
  bio: '',
  photoImageId: null,
  aboutMarkdown: '',
  footer: CRISIS_NOTE,
  contactEmail: '',
  links: [],
};

/** The demo practice a fresh install shows: a fictional coach, so nobody mistakes it for a real one. */
export const DEMO_SITE: SiteIdentity = {
  name: 'Steady Ground Coaching',
  tagline: 'Repair over perfection.',
  coachName: 'Ruth Calder',
  bio:
    'Hi, I’m Ruth, a trauma recovery coach, educator and writer. I help people who are tired of being strong alone ' +
    'find their footing again, one honest step at a time.',
  photoImageId: null,
  aboutMarkdown: [
    '## Hello, I’m Ruth',
    '',
    'I’m a trauma recovery coach, educator and writer. For more than a decade I have sat with people rebuilding their',
    'lives after hard things, and I have learned that recovery is rarely a straight line. It is repair, again and again.',
    '',
    '## How I work',
    '',
    '- **Calm and at your pace.** Nothing is rushed; you decide what we talk about.',
    '- **Honest.** I will tell you what I see, kindly.',
    '- **Practical.** Small steps you can take this week, not a lecture.',
    '',
    'Start with a [free discovery call](/book), or work through [The Humble Pie 12 Steps](/program) on your own time.',
    '',
    '*Steady Ground Coaching is a fictional demo practice.*',
  ].join('\n'),
  footer: CRISIS_NOTE,
  contactEmail: 'hello@steadyground.example',
  links: [
    { label: 'The 12 Steps', url: '/program' },
    { label: 'Book a session', url: '/book' },
  ],
};

/** `Name <address>` with the address taken from MAIL_FROM and the display name from the site. */
export function fromWithName(mailFrom: string, displayName: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const name = displayName
    .replace(/[\r\n"\\<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name ? `"${name}" <${address}>` : address;
}
