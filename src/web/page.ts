import { Eta } from 'eta';
import { FastifyReply, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { addressName } from '../accounts/person-name';
import { projectRoot } from '../common/paths';
import { safeNext } from '../common/redirect-target';

let eta: Eta | null = null;

/** Eta with auto-escaping on: `<%= x %>` escapes; only `<%~ %>` of pre-sanitised HTML does not. */
export function views(): Eta {
  // Templates are compiled once per process (restart, or `npm run start:dev`, to see edits).
  eta ??= new Eta({ views: join(projectRoot(), 'views'), autoEscape: true, cache: true });
  return eta;
}

/** What the layout needs from the site settings (src/site provides it; see setSiteProvider). */
export interface LayoutSite {
  name: string;
  tagline: string;
  footer: string;
  contactEmail: string;
  links: { label: string; url: string }[];
}

const FALLBACK_SITE: LayoutSite = {
  name: 'Mend',
  tagline: '',
  footer: '',
  contactEmail: '',
  links: [],
};
let siteProvider: () => Promise<LayoutSite> = () => Promise.resolve(FALLBACK_SITE);

/** The site module registers how to read the site settings that head every page. */
export function setSiteProvider(provider: () => Promise<LayoutSite>): void {
  siteProvider = provider;
}

async function currentSite(): Promise<LayoutSite> {
  try {
    return await siteProvider();
  } catch {
    return FALLBACK_SITE; // an error page must still render when the database is down
  }
}

export interface ViewerSummary {
  name: string;
  role: 'coach' | 'client';
}

export interface PageData {
  title: string;
  [key: string]: unknown;
}

/**
 * Renders a server page inside the layout, with the viewer for the navigation and a fresh CSRF
 * token for every form on it — except a render for the shared public cache (an anonymous GET,
 * see src/public-cache), which carries no token and sets no cookie: it will be served to everyone.
 * Its forms post to the anonymous-form routes that need no token without a session (app.ts).
 */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: PageData,
  status = 200,
): Promise<void> {
  const viewer: ViewerSummary | null = request.viewer
    ? { name: addressName(request.viewer), role: request.viewer.role }
    : null;
  const csrfToken = request.publicCache ? '' : reply.generateCsrf();
  const site = await currentSite();
  const html = await views().renderAsync(template, {
    ...data,
    site,
    viewer,
    csrfToken,
    path: request.url.split('?')[0],
  });
  await reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** Renders a page without request context (error pages from the filter). */
export async function renderBarePage(template: string, data: PageData): Promise<string> {
  return views().renderAsync(template, {
    viewer: null,
    csrfToken: '',
    path: '',
    site: await currentSite(),
    ...data,
  });
}

export function redirect(reply: FastifyReply, to: string): void {
  void reply.redirect(safeNext(to), 303);
}

/** Only same-site paths are followed after sign-in (no open redirects): see common/redirect-target. */
export { safeNext };
