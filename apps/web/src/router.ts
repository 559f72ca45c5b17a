/**
 * Hash routing with the page's state in the URL: `#/mlp?lr=0.1&seed=42`. Hash routes work from any
 * static host (and from a folder) without server rewrites; the query after the path holds the page's
 * parameters so that a link reproduces an experiment.
 */
import { signal } from '@preact/signals';

export interface Route {
  /** Page id (`''` is the home page). */
  page: string;
  /** The query parameters after the path, as strings (validated by each page's schema). */
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  return {
    page: decodeURIComponent(path.replace(/\/+$/, '')),
    params: new URLSearchParams(q === -1 ? '' : body.slice(q + 1)),
  };
}

export function formatHash(
  page: string,
  params?: URLSearchParams | Record<string, string>,
): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${page}${query ? `?${query}` : ''}`;
}

/** The current route; updated on `hashchange`. */
export const route = signal<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseHash(location.hash);
  });
}

/** Goes to a page (pushes a history entry). */
export function navigate(page: string, params?: URLSearchParams | Record<string, string>): void {
  location.hash = formatHash(page, params);
}

/** Rewrites the current page's query without a new history entry (for live parameter edits). */
export function replaceParams(params: URLSearchParams): void {
  const current = route.value;
  const hash = formatHash(current.page, params);
  if (hash !== location.hash) {
    history.replaceState(null, '', hash);
    route.value = parseHash(hash);
  }
}
