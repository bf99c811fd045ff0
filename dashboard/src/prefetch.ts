// A tiny script loaded before the app bundle: it starts the first page's API calls at once, so
// the data is on its way while the bundle (chart.js included) is still downloading and compiling.
import { initialRequests } from './api/page-queries.js';
import { startPrefetch } from './api/prefetched.js';
import { currentRoute } from './state/route.js';

startPrefetch(initialRequests(currentRoute()));
