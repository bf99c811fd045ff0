import type { AgentList, AgentView, MassDropList } from '@closewatch/conventions';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { mergeMassDrops } from '../fleet/mass-drop-events.js';
import type { AgentSighting } from '../fleet/fleet-store.js';
import { parseCloseFilter } from './close-filter.js';

/** Sightings per route folded into one entry per agent, most recently seen first. */
export function agentViews(sightings: readonly AgentSighting[]): AgentView[] {
  const views = new Map<string, AgentView>();
  for (const sighting of sightings) {
    const key = `${sighting.side}\u0000${sighting.service}\u0000${sighting.instance}`;
    let view = views.get(key);
    if (!view) {
      view = {
        side: sighting.side,
        service: sighting.service,
        instance: sighting.instance,
        scope: sighting.scope,
        firstSeenMs: sighting.firstSeenMs,
        lastSeenMs: sighting.lastSeenMs,
        spans: 0,
        routes: [],
      };
      views.set(key, view);
    }
    if (sighting.lastSeenMs >= view.lastSeenMs) view.scope = sighting.scope;
    view.firstSeenMs = Math.min(view.firstSeenMs, sighting.firstSeenMs);
    view.lastSeenMs = Math.max(view.lastSeenMs, sighting.lastSeenMs);
    view.spans += sighting.spans;
    view.routes.push({ route: sighting.route, lastSeenMs: sighting.lastSeenMs, spans: sighting.spans });
  }
  return [...views.values()].sort((a, b) => b.lastSeenMs - a.lastSeenMs);
}

/**
 * `GET /api/v1/agents` (which agents report, per service instance) and `GET /api/v1/mass-drops` (many
 * abrupt ends at once), docs/design.md "Agents known" and "Mass drops". Same filters as the close queries.
 */
export function createFleetRouter(deps: AppDeps): Router {
  const router = Router();
  const now = (): number => deps.clock.now();

  router.get('/agents', async function listAgents(req: Request, res) {
    const filter = parseCloseFilter(req.query, now());
    const agents = agentViews(await deps.store.fleet.listAgents()).filter(
      (agent) =>
        agent.lastSeenMs >= filter.fromMs &&
        agent.firstSeenMs <= filter.toMs &&
        (filter.service === undefined || agent.service === filter.service) &&
        (filter.route === undefined || agent.routes.some((route) => route.route === filter.route)) &&
        (filter.side === undefined || filter.side === 'both' || agent.side === filter.side),
    );
    res.json({ from: filter.fromMs, to: filter.toMs, agents } satisfies AgentList);
  });

  router.get('/mass-drops', async function listMassDrops(req: Request, res) {
    const filter = parseCloseFilter(req.query, now());
    const rows = await deps.store.fleet.listMassDrops(filter.fromMs, filter.toMs);
    const drops = mergeMassDrops(rows, deps.config.massDropWindowMs).filter(
      (drop) =>
        (filter.service === undefined || drop.service === filter.service) &&
        (filter.route === undefined || drop.route === filter.route) &&
        (filter.cause === undefined || drop.cause === filter.cause),
    );
    res.json({ from: filter.fromMs, to: filter.toMs, massDrops: drops } satisfies MassDropList);
  });

  return router;
}
