import type { Route } from '../state/route.js';

/** What a page gets to render into; `signal` aborts when the user moves on. */
export interface PageContext {
  route: Route;
  root: HTMLElement;
  signal: AbortSignal;
  /** Runs when the page is left or re-rendered (charts are destroyed here). */
  onCleanup(fn: () => void): void;
  /** True when this render was triggered by auto-refresh rather than navigation. */
  refreshing: boolean;
}

export interface Page {
  title: string;
  /** Auto-refresh re-renders it (false for pages with forms a refresh would wipe). */
  refreshable: boolean;
  /** Shows the shared filter bar above the page. */
  filtered: boolean;
  render(ctx: PageContext): Promise<void>;
}
