import { useEffect, useState } from 'react';

export const BASE = '/console';

/** The console's pages, from the path under /console/. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'changes' }
  | { readonly page: 'change'; readonly changeId: string }
  | { readonly page: 'packs' };

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const change = /^\/changes\/(.+)$/.exec(path);
  if (change) return { page: 'change', changeId: decodeURIComponent(change[1]) };
  if (path === '/changes' || path === '/changes/') return { page: 'changes' };
  if (path === '/packs' || path === '/packs/') return { page: 'packs' };
  return { page: 'overview' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'change') return `${BASE}/changes/${encodeURIComponent(route.changeId)}`;
  if (route.page === 'packs') return `${BASE}/packs`;
  return route.page === 'changes' ? `${BASE}/changes` : `${BASE}/`;
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
