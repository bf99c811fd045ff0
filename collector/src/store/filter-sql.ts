import type { CloseFilter } from './store.js';
import type { SqlParams } from './sql-params.js';

const SIDE_OBSERVERS = {
  client: `observed_by IN ('client', 'both')`,
  server: `observed_by IN ('server', 'both', 'server_snapshot')`,
  both: `observed_by = 'both'`,
} as const;

/** The WHERE condition over final connections that every query (summary, timeseries, list) applies alike. */
export function closeFilterSql(filter: CloseFilter, params: SqlParams): string {
  const conditions = ['is_final', `end_time_ms >= ${params.add(filter.fromMs)}`, `end_time_ms < ${params.add(filter.toMs)}`];
  if (filter.service !== undefined) conditions.push(`service = ${params.add(filter.service)}`);
  if (filter.route !== undefined) conditions.push(`route = ${params.add(filter.route)}`);
  if (filter.code !== undefined) conditions.push(`code = ${params.add(filter.code)}`);
  if (filter.phase !== undefined) conditions.push(`phase = ${params.add(filter.phase)}`);
  if (filter.cause !== undefined) conditions.push(`cause = ${params.add(filter.cause)}`);
  if (filter.appProtocol !== undefined) conditions.push(`app_protocol = ${params.add(filter.appProtocol)}`);
  if (filter.appReason !== undefined) conditions.push(`app_reason = ${params.add(filter.appReason)}`);
  if (filter.side !== undefined) conditions.push(SIDE_OBSERVERS[filter.side]);
  return conditions.join(' AND ');
}
