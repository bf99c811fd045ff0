import type { MassDropFacts } from '../fleet-facts.js';
import type { ClassifyContext } from './context.js';
import { instanceName, instant, listed, otherInstancesReport, splitBySilence, stoppedReporting } from './fleet-wording.js';
import { abruptEnding, isAbrupt } from './signals.js';
import { duration, sentence } from './wording.js';

/**
 * The two mass-drop rows (docs/design.md "Mass drops"): many abrupt ends within a short window in one
 * group. Whether the server instance kept reporting tells a server that went away from an intermediary
 * that dropped everything. The collector counts the group; these read it against the thresholds.
 */

/** The group when it holds enough abrupt ends within the window. */
function massDrop(ctx: ClassifyContext, group: MassDropFacts['group']): MassDropFacts | undefined {
  const drop = ctx.massDrop;
  if (!drop || drop.group !== group || ctx.failedHandshake) return undefined;
  const { massDropMinConnections, massDropWindowMs } = ctx.options;
  return drop.connections >= massDropMinConnections && drop.lastEndMs - drop.firstEndMs <= massDropWindowMs ? drop : undefined;
}

/** `Within 40 ms, 12 connections … ended abruptly (T1 to T2)`. */
function dropSentence(drop: MassDropFacts, where: string): string {
  return `within ${duration(drop.lastEndMs - drop.firstEndMs)}, ${drop.connections} connections ${where} ended abruptly (${instant(drop.firstEndMs)} to ${instant(drop.lastEndMs)})`;
}

/** Server instances on the route that went silent before the drop began. */
function silentServers(ctx: ClassifyContext, drop: MassDropFacts) {
  return splitBySilence(ctx.fleet?.serverInstances ?? [], drop.firstEndMs);
}

/**
 * A client alone saw an abrupt end, as many others to the same address and route did at once, no server
 * reported any of them, and a server instance on that route stopped reporting before the drop.
 */
export function serverGoneDrop(ctx: ClassifyContext): MassDropFacts | undefined {
  const { client } = ctx;
  if (!client || ctx.server || !isAbrupt(client)) return undefined;
  const drop = massDrop(ctx, 'client_target');
  if (!drop || drop.withServerSide > 0) return undefined;
  return silentServers(ctx, drop).silent.length > 0 ? drop : undefined;
}

export function serverGoneEvidence(ctx: ClassifyContext): string[] {
  const drop = serverGoneDrop(ctx) as MassDropFacts;
  const { silent, reporting } = silentServers(ctx, drop);
  const facts = [
    `${dropSentence(drop, `to ${drop.target ?? drop.route}`)}, and no server reported any of them within the join window`,
    ...silent.map((known) => stoppedReporting(known, 'before the drop', drop.route)),
    ...otherInstancesReport(reporting, `other instances on ${drop.route}`),
    abruptEnding(ctx.client!),
    'the server process died without closing its connections (a crash, an out-of-memory kill or SIGKILL, or its host went down): a graceful shutdown would have closed them with 1001 or 1012',
  ];
  return facts.map(sentence);
}

/** The server's own end was abrupt with no termination of its own: its socket failed or ended. */
function serverSawDrop(ctx: ClassifyContext): boolean {
  const { client, server } = ctx;
  if (!server) return false;
  if (client) return isAbrupt(client) && isAbrupt(server) && server.termination !== 'terminate' && server.termination !== 'process_exit';
  return server.termination === 'socket_error' || server.termination === 'socket_end';
}

/** Many connections of one server instance and route ended abruptly at once while the server kept reporting them. */
export function intermediaryDrop(ctx: ClassifyContext): MassDropFacts | undefined {
  return serverSawDrop(ctx) ? massDrop(ctx, 'server_instance') : undefined;
}

export function intermediaryDropEvidence(ctx: ClassifyContext): string[] {
  const drop = intermediaryDrop(ctx) as MassDropFacts;
  const where = drop.instance ? `of ${instanceName(drop.instance)} on ${drop.route}` : `on ${drop.route}`;
  const facts = [
    dropSentence(drop, where),
    `the server kept running and reported these ends itself: ${abruptEnding(ctx.server!)}`,
    ctx.client ? abruptEnding(ctx.client) : 'the client did not report this connection',
    'neither end closed the connections, so something between them dropped them at once: a proxy or ingress reload or restart, a load balancer, or a NAT or firewall losing its state',
  ];
  return facts.map(sentence);
}

/** What the known agents say about a missing server side, for a client-only connection (unknown evidence). */
export function missingServerFacts(ctx: ClassifyContext): string[] | undefined {
  const { client, fleet } = ctx;
  if (!client || !fleet || fleet.serverInstances.length === 0) return undefined;
  const { silent, reporting } = splitBySilence(fleet.serverInstances, client.endTimeMs);
  const facts = silent.map((known) => `No server span: ${stoppedReporting(known, 'before this connection ended')}`);
  if (reporting.length > 0) {
    const names = listed(reporting.map(instanceName));
    facts.push(
      `No server span: ${names} ${reporting.length === 1 ? 'reports' : 'report'} on this route, but none reported this connection within the join window: it reached a server or proxy without the agent, or the server's span arrived too late (raise the join window).`,
    );
  }
  return facts.map(sentence);
}
