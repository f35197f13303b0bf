import { useEffect, useState } from 'react';

export const BASE = '/console';

/** The console's pages, from the path under /console/. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'changes' }
  | { readonly page: 'change'; readonly changeId: string }
  | { readonly page: 'packs' }
  | { readonly page: 'entry'; readonly sequence?: number }
  | { readonly page: ForensicsPage };

/** The forensics tables shown as tables, by their path under /console/. */
export const FORENSICS_PAGES = ['exceptions', 'inventory', 'approvals', 'spend'] as const;
export type ForensicsPage = (typeof FORENSICS_PAGES)[number];

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const change = /^\/changes\/(.+)$/.exec(path);
  if (change) return { page: 'change', changeId: decodeURIComponent(change[1]) };
  if (path === '/changes' || path === '/changes/') return { page: 'changes' };
  if (path === '/packs' || path === '/packs/') return { page: 'packs' };
  const entry = /^\/entries(?:\/(\d+))?\/?$/.exec(path);
  if (entry) return { page: 'entry', sequence: entry[1] === undefined ? undefined : Number(entry[1]) };
  const table = FORENSICS_PAGES.find((name) => path === `/${name}` || path === `/${name}/`);
  if (table) return { page: table };
  return { page: 'overview' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'change') return `${BASE}/changes/${encodeURIComponent(route.changeId)}`;
  if (route.page === 'entry') return `${BASE}/entries${route.sequence === undefined ? '' : `/${route.sequence}`}`;
  return route.page === 'overview' ? `${BASE}/` : `${BASE}/${route.page}`;
}

export function navigate(route: Route): void {
  history.pushState(null, '', hrefOf(route));
  dispatchEvent(new PopStateEvent('popstate'));
}

// Client-side routes: the server answers every /console/… page with index.html.
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}
