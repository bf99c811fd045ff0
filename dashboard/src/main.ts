import { loadCauseTitles } from './api/causes.js';
import { discardPrefetched } from './api/prefetched.js';
import { filterBar, syncFilterBar } from './components/filter-bar.js';
import { navigation } from './components/nav.js';
import { refreshToggle } from './components/refresh-toggle.js';
import { h, replaceChildren } from './dom.js';
import { alertsPage } from './pages/alerts.js';
import { causesPage } from './pages/causes.js';
import { connectionPage } from './pages/connection.js';
import { explorerPage } from './pages/explorer.js';
import { overviewPage } from './pages/overview.js';
import type { Page } from './pages/page.js';
import { setupPage } from './pages/setup.js';
import { AUTO_REFRESH_MS, autoRefreshEnabled } from './state/auto-refresh.js';
import { currentRoute, type PageId } from './state/route.js';

const PAGES: Record<PageId, Page> = {
  overview: overviewPage,
  causes: causesPage,
  explorer: explorerPage,
  connection: connectionPage,
  alerts: alertsPage,
  setup: setupPage,
};

const navSlot = h('div', { class: 'nav-slot' });
const filterSlot = h('div', { class: 'filter-slot' });
const main = h('main', { id: 'main', tabindex: '-1' });
let current: { abort: AbortController; cleanups: Array<() => void> } | null = null;
let refreshTimer: ReturnType<typeof setInterval> | null = null;
/** The page the filter bar was built for; it is kept (and synced) while the user stays on that page. */
let filterBarPage: PageId | null = null;

function showFilterBar(page: PageId, params: URLSearchParams, filtered: boolean): void {
  const bar = filterSlot.firstElementChild as HTMLElement | null;
  if (filtered && filterBarPage === page && bar) {
    syncFilterBar(bar, params);
    return;
  }
  filterBarPage = filtered ? page : null;
  replaceChildren(filterSlot);
  if (filtered) void loadCauseTitles().then((titles) => filterBarPage === page && replaceChildren(filterSlot, filterBar(titles)));
}

/** Renders the page the URL names; a refresh re-renders in place without moving focus. */
async function renderRoute(refreshing: boolean): Promise<void> {
  const route = currentRoute();
  const page = PAGES[route.page];
  if (current) {
    current.abort.abort();
    for (const cleanup of current.cleanups) cleanup();
  }
  const state = { abort: new AbortController(), cleanups: [] as Array<() => void> };
  current = state;
  document.title = `${page.title} · Closewatch`;
  replaceChildren(navSlot, navigation(route));
  if (!refreshing) {
    showFilterBar(route.page, route.params, page.filtered);
    main.setAttribute('aria-busy', 'true');
  }
  const root = h('div', { class: `page page-${route.page}`, 'data-page': route.page });
  if (!refreshing) replaceChildren(main, h('h1', { class: 'visually-hidden' }, page.title), root);
  await page.render({
    route,
    root: refreshing ? (main.querySelector<HTMLElement>('.page') ?? root) : root,
    signal: state.abort.signal,
    onCleanup: (fn) => state.cleanups.push(fn),
    refreshing,
  });
  discardPrefetched();
  if (state === current) main.setAttribute('aria-busy', 'false');
}

function setAutoRefreshTimer(enabled: boolean): void {
  if (refreshTimer !== null) clearInterval(refreshTimer);
  refreshTimer = null;
  if (!enabled) return;
  refreshTimer = setInterval(function autoRefreshTick() {
    if (document.visibilityState === 'visible' && PAGES[currentRoute().page].refreshable) void renderRoute(true);
  }, AUTO_REFRESH_MS);
}

function mount(): void {
  const header = h(
    'header',
    { class: 'topbar' },
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        on: {
          click: (event: Event) => {
            event.preventDefault();
            main.focus();
          },
        },
      },
      'Skip to content',
    ),
    h('a', { class: 'brand', href: '#/overview' }, 'Closewatch'),
    navSlot,
    refreshToggle(setAutoRefreshTimer),
  );
  document.body.replaceChildren(header, filterSlot, main);
  window.addEventListener('hashchange', () => void renderRoute(false));
  setAutoRefreshTimer(autoRefreshEnabled());
  void renderRoute(false);
}

mount();
