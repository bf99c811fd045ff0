import type { CauseId, ObservedBy, Phase } from '@closewatch/conventions';
import { closeFilterSql } from './filter-sql.js';
import { ratio, toNullableNumber, toNumber } from './row-values.js';
import { SqlParams } from './sql-params.js';
import type { CloseFilter, RateRow, Summary } from './store.js';

/**
 * One scan for the whole summary: GROUPING SETS computes every breakdown in SQL (the per-service and
 * overall totals are summed from the route and phase groups, saving two passes over the rows), and
 * the top lists are cut to `topN` by a window function, so only aggregate rows ever reach JS.
 */
export function summarySql(filter: CloseFilter, topN: number): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const where = closeFilterSql(filter, params);
  const sql = `
WITH groups AS (
  SELECT CASE
           WHEN grouping(phase) = 0 THEN 'phase'
           WHEN grouping(cause) = 0 THEN 'cause'
           WHEN grouping(code) = 0 THEN 'code'
           WHEN grouping(route) = 0 THEN 'route'
           ELSE 'observer'
         END AS grouped_by,
         phase, cause, code, service, route, observed_by,
         count(*) AS total,
         count(*) FILTER (WHERE code = 1006) AS closes_1006
  FROM connections
  WHERE ${where}
  GROUP BY GROUPING SETS ((phase), (cause), (code), (service, route), (observed_by))
), all_groups AS (
  SELECT * FROM groups
  UNION ALL
  SELECT 'service', NULL, NULL, NULL, service, NULL, NULL, sum(total), sum(closes_1006)
  FROM groups WHERE grouped_by = 'route' GROUP BY service
  UNION ALL
  SELECT 'total', NULL, NULL, NULL, NULL, NULL, NULL, COALESCE(sum(total), 0), COALESCE(sum(closes_1006), 0)
  FROM groups WHERE grouped_by = 'phase'
), ranked AS (
  SELECT all_groups.*, row_number() OVER (
    PARTITION BY grouped_by ORDER BY total DESC, service, route, phase, cause, code, observed_by
  ) AS rank_in_group
  FROM all_groups
)
SELECT grouped_by, phase, cause, code, service, route, observed_by, total, closes_1006
FROM ranked
WHERE rank_in_group <= ${params.add(topN)} OR grouped_by NOT IN ('route', 'service')
ORDER BY grouped_by, rank_in_group`;
  return { sql, params: params.values };
}

function rateRow(total: number, closes1006: number): RateRow {
  return { total, closes1006, rate1006: ratio(closes1006, total) };
}

/** Turns the grouped rows of `summarySql` into a Summary. */
export function toSummary(rows: Array<Record<string, unknown>>): Summary {
  const summary: Summary = {
    ...rateRow(0, 0),
    byPhase: [],
    byCause: [],
    byCode: [],
    topRoutes: [],
    topServices: [],
    byObserver: [],
  };
  const causes: Array<{ cause: CauseId; count: number }> = [];
  for (const row of rows) {
    const rate = rateRow(toNumber(row.total), toNumber(row.closes_1006));
    switch (row.grouped_by) {
      case 'total':
        Object.assign(summary, rate);
        break;
      case 'phase':
        summary.byPhase.push({ phase: row.phase as Phase, ...rate });
        break;
      case 'cause':
        causes.push({ cause: row.cause as CauseId, count: rate.total });
        break;
      case 'code':
        summary.byCode.push({ code: toNullableNumber(row.code), count: rate.total });
        break;
      case 'route':
        summary.topRoutes.push({ service: row.service as string, route: row.route as string, ...rate });
        break;
      case 'service':
        summary.topServices.push({ service: row.service as string, ...rate });
        break;
      case 'observer':
        summary.byObserver.push({ observedBy: row.observed_by as ObservedBy, count: rate.total });
        break;
    }
  }
  summary.byCause = causes.map((c) => ({ ...c, share: ratio(c.count, summary.total) }));
  return summary;
}
