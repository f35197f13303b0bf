import type { MouseEvent, ReactNode } from 'react';
import { hrefOf, navigate, Route } from './route';

/** A real link (opens in a new tab, keyboard-focusable) that navigates in place on a plain click. */
export function Link({ to, children, current }: { to: Route; children: ReactNode; current?: boolean }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={hrefOf(to)} onClick={onClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
