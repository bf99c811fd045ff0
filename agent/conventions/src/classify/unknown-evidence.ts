import type { ClassifyContext } from './context.js';
import { instanceName, listed } from './fleet-wording.js';
import { missingServerFacts } from './mass-drop.js';
import { isAbrupt } from './signals.js';
import { closeSeen, duration, handshakeDuration, sentence } from './wording.js';

/** What was seen, then which missing record would have told more: the evidence of an `unknown` close. */
export function unknownEvidence(ctx: ClassifyContext): string[] {
  const { client, server } = ctx;
  const seen = ctx.sides.map((side) => sentence(closeSeen(side)));
  if (!client && !server) return ['Neither side reported this connection.'];
  if (client && !server) {
    const known = missingServerFacts(ctx);
    if (known) return [...seen, sentence(`Only ${client.who} reported this connection`), ...known];
    // Said only when the collector told which agents it knows; without that, the advice stays conditional.
    const none = ctx.fleet ? 'no server agent has reported a connection on this route: ' : '';
    const when = ctx.failedHandshake
      ? `the handshake failed after ${duration(handshakeDuration(client))}; ${none}install the Node agent on the server (node --import @closewatch/agent-node/register) to see whether it answered the upgrade and with which status`
      : `${none}install the Node agent on the server (node --import @closewatch/agent-node/register) to see how the server side ended (terminate, heartbeat, restart, socket error)`;
    const missing = [sentence(`Only ${client.who} reported this connection: ${when}`)];
    if (client.propagated === true) {
      missing.push(
        'The client added the __cw correlation parameter, but no server span with its trace id arrived within the join window: the server agent is not running there, or another service or proxy answered the request.',
      );
    } else if (client.propagated === false) {
      missing.push(
        "The client did not propagate trace context to this host (websocket.propagated=false); add the host to the browser agent's data-propagate-to so both sides can be joined.",
      );
    }
    return [...seen, ...missing];
  }
  if (server && !client) {
    const clients = ctx.fleet?.clientAgents ?? [];
    if (clients.length > 0) {
      return [
        ...seen,
        sentence(
          `Only the server reported this connection, though client agents report on this route (${listed(clients.map(instanceName))}): this client's record was lost (the tab was killed or crashed, the device slept) or this client runs without the agent`,
        ),
      ];
    }
    const none = ctx.fleet ? ' and no client agent has reported on this route' : '';
    return [
      ...seen,
      `Only the server reported this connection${none}; add the browser agent to the page (or use the Node agent's client instrumentation) to see the client's network, visibility and navigation state.`,
    ];
  }
  const idle = ctx.sides.find((side) => side.idleMs !== undefined)?.idleMs;
  const abrupt = ctx.sides.every(isAbrupt) ? 'both ended abruptly, but ' : '';
  return [
    ...seen,
    sentence(
      `Both sides reported the connection; ${abrupt}neither shows an HTTP status, a server termination, an agent hint, a browser state change or an idle time matching a known proxy timeout${idle !== undefined ? ` (idle ${duration(idle)})` : ''}`,
    ),
    'Run `closewatch probe <url> --hold` to see how long an idle connection survives on this path.',
  ];
}
