import request from 'supertest';
import { pageForm, TestApp } from './app';

/** A page's form credentials, as `pageForm` reads them: its cookie header and CSRF token. */
export interface PageFormAuth {
  cookie: string;
  csrf: string;
}

/** Posts `fields` urlencoded as the page's form would, with its cookie and CSRF token. */
export function postForm(
  t: TestApp,
  path: string,
  auth: PageFormAuth,
  fields: Record<string, string>,
): request.Test {
  return t
    .http()
    .post(path)
    .set('cookie', auth.cookie)
    .type('form')
    .send({ ...fields, _csrf: auth.csrf });
}

/** `postForm` bound to one page's credentials: `post(path, fields)`. */
export function pagePoster(
  t: TestApp,
  auth: PageFormAuth,
): (path: string, fields: Record<string, string>) => request.Test {
  return (path, fields) => postForm(t, path, auth, fields);
}

/**
 * Loads the page `form` as `session`, then posts `fields` to `path` with that page's cookie and
 * token, expecting `status`.
 */
export async function submitAs(
  t: TestApp,
  session: string,
  path: string,
  form: string,
  fields: Record<string, string>,
  status: number,
): Promise<request.Response> {
  return postForm(t, path, await pageForm(t, form, session), fields).expect(status);
}

/** An error summary's linked entries, as [href, text] pairs in page order. */
export function summaryLinks(html: string): string[][] {
  return [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
}

/** GETs `path` signed in as `session`, expecting `status` (200 unless told). */
export async function getAs(
  t: TestApp,
  session: string,
  path: string,
  status = 200,
): Promise<request.Response> {
  return t.http().get(path).set('cookie', `mend_session=${session}`).expect(status);
}
