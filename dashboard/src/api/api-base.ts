/** Where the collector's REST API lives, relative to the dashboard. */
export const API_BASE = '/api/v1';
