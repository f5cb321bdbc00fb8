import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../common/errors';
import { PageData, redirect, renderPage } from './page';

/**
 * The page-form path, once: read and validate → re-render with the input kept → call the service
 * → map a DomainError to field and summary errors. Page controllers describe their form (fields,
 * plain messages, how to read the body, what to call) and this does the rest, the same way on
 * every page, so that every error shows in plain words beside its field and in a summary at the
 * top (the GOV.UK error-summary pattern: role=alert, links to the fields, takes focus).
 */

export type FormBody = Record<string, string | undefined>;

/** Raw per-field messages, as class-validator (`fieldMessages`) and DomainError details give them. */
export type RawErrors = Record<string, string[]>;

export type FormRead<T> = { ok: true; value: T } | { ok: false; errors: RawErrors };

/**
 * One field of a page form: the id of its input (the summary links to it; default: the key) and
 * the plain sentence shown when the API's rules refuse it, instead of the validator's own text.
 * A string is the sentence alone.
 */
export type FieldSpec = string | { id?: string; message?: string };
export type FieldSpecs = Record<string, FieldSpec>;

export interface SummaryItem {
  /** `#input-id`, or null for an error that belongs to no one field. */
  href: string | null;
  text: string;
}

/** What a form template gets: the message beside each input (by input id) and the summary list. */
export interface FormErrors {
  fields: Record<string, string>;
  summary: SummaryItem[];
}

const specOf = (spec: FieldSpec | undefined): { id?: string; message?: string } =>
  typeof spec === 'string' ? { message: spec } : (spec ?? {});

/**
 * A validator's message as a sentence: "slug must be shorter than or equal to 80 characters" →
 * "Must be shorter than or equal to 80 characters." (the field is named by its label already).
 */
export function plainSentence(field: string, message: string): string {
  const leaf = field.split('.').pop() ?? field;
  let text = message.trim();
  for (const name of [field, leaf]) {
    if (text.toLowerCase().startsWith(name.toLowerCase() + ' ')) {
      text = text.slice(name.length + 1);
      break;
    }
  }
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The spec that covers a raw key: itself, else the nearest parent (`weekly.weekday1.0` → `weekly`). */
function findSpec(specs: FieldSpecs, key: string): [string, FieldSpec] | null {
  for (let k = key; k; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
    if (k in specs) return [k, specs[k]];
  }
  return null;
}

/**
 * Turns raw per-field messages into what the page shows: one plain sentence per input (the
 * field's own sentence when it has one, else the validator's text made readable) and a summary in
 * the form's order. `mapKey` renames API keys to page fields (e.g. `weekly.weekday1.0` → `day1-0`).
 */
export function formErrors(
  raw: RawErrors,
  specs: FieldSpecs,
  mapKey: (key: string) => string = (k) => k,
  describe: (key: string, message: string) => string = plainSentence,
): FormErrors {
  const fields: Record<string, string> = {};
  const order = Object.keys(specs);
  const items: (SummaryItem & { rank: number })[] = [];
  for (const [rawKey, messages] of Object.entries(raw)) {
    const key = mapKey(rawKey);
    const found = findSpec(specs, key);
    const spec = specOf(found?.[1]);
    const id = spec.id ?? (found ? found[0] : key);
    const text = spec.message ?? messages.map((m) => describe(key, m)).join(' ');
    if (fields[id]) {
      // One sentence per input; nested keys without a sentence of their own add theirs.
      if (!spec.message && !fields[id].includes(text)) {
        fields[id] = `${fields[id]} ${text}`;
        const item = items.find((i) => i.href === `#${id}`);
        if (item) item.text = fields[id];
      }
      continue;
    }
    fields[id] = text;
    items.push({ href: `#${id}`, text, rank: found ? order.indexOf(found[0]) : order.length });
  }
  items.sort((a, b) => a.rank - b.rank);
  return { fields, summary: items.map(({ href, text }) => ({ href, text })) };
}

/** A summary holding one message that belongs to no single field. */
export function summaryOnly(text: string): FormErrors {
  return { fields: {}, summary: [{ href: null, text }] };
}

/** Renders a form page: `values` are what the person typed (kept on error), `errors` as above. */
export async function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: PageData,
  values: object,
  errors?: FormErrors,
  status = 200,
): Promise<void> {
  await renderPage(
    request,
    reply,
    template,
    { ...data, values, errors: errors ?? null },
    errors && status === 200 ? 400 : status,
  );
}

export type CodeFields = Partial<Record<ErrorCode, string | { field: string; message: string }>>;

export interface FormFlow<T> {
  template: string;
  /** The page's other data (lists, choices), loaded again when the form is re-rendered. */
  page: () => PageData | Promise<PageData>;
  fields: FieldSpecs;
  /** The submitted body (minus `_csrf`), kept as typed when the form comes back. */
  body: FormBody;
  /** Values to show back instead of the raw body (e.g. with rows added), when they differ. */
  values?: object;
  /**
   * Values to show back when the save is refused, from what `read` made (e.g. with an uploaded
   * picture's id, so that a refused save doesn't lose the upload). Default: `values`.
   */
  keep?: (value: T) => object;
  /** Reads and validates the body into what the service takes. */
  read: (body: FormBody) => FormRead<T> | Promise<FormRead<T>>;
  /** Calls the service; returns where to go next (303). */
  save: (value: T) => Promise<string>;
  /** How to go there, when not a same-site 303 (e.g. to a payment provider's page). */
  redirect?: (to: string) => void | Promise<void>;
  mapKey?: (key: string) => string;
  /** Words for a message without a field sentence (default: the validator's text made readable). */
  describe?: (key: string, message: string) => string;
  /** Domain errors without details that belong to one field (e.g. `{ CONFLICT: 'slug' }`), optionally in other words. */
  codeFields?: CodeFields;
}

/** validate → re-render with the input kept → call → map DomainError. */
export async function submitForm<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  flow: FormFlow<T>,
): Promise<void> {
  const values = flow.values ?? flow.body;
  const fail = async (errors: FormErrors, status: number, shown: object = values) =>
    renderForm(request, reply, flow.template, await flow.page(), shown, errors, status);
  const read = await flow.read(flow.body);
  if (!read.ok) return fail(formErrors(read.errors, flow.fields, flow.mapKey, flow.describe), 400);
  let next: string;
  try {
    next = await flow.save(read.value);
  } catch (e) {
    if (!(e instanceof DomainError) || e.status >= 500) throw e;
    // As the error filter does: a refused-for-now form says when to try again.
    if (e.status === 429) reply.header('retry-after', String(e.retryAfterSeconds ?? 60));
    return fail(
      domainFormErrors(e, flow.fields, flow.mapKey, flow.codeFields, flow.describe),
      e.status,
      flow.keep ? flow.keep(read.value) : values,
    );
  }
  if (flow.redirect) await flow.redirect(next);
  else redirect(reply, next);
}

/** A DomainError as form errors: its details per field, its code's field, or the summary alone. */
export function domainFormErrors(
  e: DomainError,
  fields: FieldSpecs,
  mapKey?: (key: string) => string,
  codeFields: CodeFields = {},
  describe?: (key: string, message: string) => string,
): FormErrors {
  if (e.details && Object.keys(e.details).length)
    return formErrors(e.details, fields, mapKey, describe);
  const target = codeFields[e.code];
  if (target) {
    const field = typeof target === 'string' ? target : target.field;
    // The service's sentence is the specific one, unless the page says it in its own words.
    const text = typeof target === 'string' ? e.message : target.message;
    const id = specOf(fields[field]).id ?? field;
    return { fields: { [id]: text }, summary: [{ href: `#${id}`, text }] };
  }
  return summaryOnly(e.message);
}

/** The form body without the CSRF token, every value a trimmed-or-raw string. */
export function formBody(body: unknown): FormBody {
  const out: FormBody = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

/**
 * A page form's POST in one handler parameter (`@PostedForm() form: PagePost`): the request (for
 * the re-render), the body as `formBody` reads it, and the signed-in person (null on public pages).
 * The handler still takes `@Res()`, so that Nest leaves the reply to it.
 */
export interface PagePost {
  request: FastifyRequest;
  body: FormBody;
  viewer: NonNullable<FastifyRequest['viewer']> | null;
}

export const PostedForm = createParamDecorator((_: unknown, ctx: ExecutionContext): PagePost => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { request, body: formBody(request.body), viewer: request.viewer ?? null };
});

/** A success message that links to what changed. */
export interface Notice {
  text: string;
  link?: { href: string; text: string };
}

/**
 * The success message a page shows after its redirect, picked by the flag in the query
 * (`?saved=published` → `notices.published`); none for an unknown or missing flag.
 */
export function noticeFor(
  flag: string | undefined,
  notices: Record<string, Notice | string>,
): Notice | undefined {
  if (!flag || !Object.prototype.hasOwnProperty.call(notices, flag)) return undefined;
  const notice = notices[flag];
  return typeof notice === 'string' ? { text: notice } : notice;
}
