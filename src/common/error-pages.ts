/**
 * How the one exception filter renders an error as a page for people (the API answers JSON).
 * The web module provides it; common/ knows only this port, never the page shell itself.
 */
export const ERROR_PAGES = Symbol('ERROR_PAGES');

export interface ErrorPage {
  title: string;
  statusCode: number;
  message: string;
}

export interface ErrorPages {
  render(page: ErrorPage): Promise<string>;
}
