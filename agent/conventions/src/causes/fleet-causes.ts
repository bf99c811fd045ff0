import type { CauseEntry } from './cause-info.js';

type FleetCauseId = 'server_gone' | 'intermediary_dropped';

/** Causes the collector decides from many connections at once: a mass drop (docs/design.md "Mass drops"). */
export const FLEET_CAUSES: Record<FleetCauseId, CauseEntry> = {
  server_gone: {
    phase: 'open',
    title: 'The server went away without closing (crash or kill)',
    explanation:
      "Many connections to the same address and route ended abruptly within a moment, no server reported any of them, and the server instance that served the route stopped reporting before they ended. The server process died without closing its connections: a crash, an out-of-memory kill, SIGKILL (kill -9, a container runtime's kill after its grace period), or its host went down. The operating system reset the sockets, so every client saw 1006 at once, and the server's agent died with the process before it could report. A graceful shutdown looks different: it closes with 1001 or 1012 (server_shutdown).",
    remediation:
      "Look at the instance's exit: the container's last state (Kubernetes: OOMKilled, exit code 137), the kernel log (dmesg: Out of memory: Killed process), the process manager's log, and the host's health at that time. Raise the memory limit or fix the leak; give the platform a grace period longer than your shutdown (Kubernetes terminationGracePeriodSeconds) so SIGKILL never comes before your SIGTERM handler closed connections with 1012. Clients should reconnect after a random delay of 0–5 s so the remaining instances are not hit by a thundering herd.",
  },
  intermediary_dropped: {
    phase: 'open',
    title: 'A proxy or load balancer dropped many connections at once',
    explanation:
      'Many connections of one server instance and route ended abruptly within a moment, the server kept running and reporting, and it saw them end too (its socket was reset or ended without a close frame), as did the clients that reported. Neither end closed them, so something in between dropped them all at once: a proxy or ingress reloaded or restarted (nginx reload ends WebSocket connections after worker_shutdown_timeout), a load balancer deregistered the target or scaled in, or a NAT gateway or firewall lost its state.',
    remediation:
      'Find what changed in the path at that time: ingress controller reloads (ingress-nginx reloads on every config change; raise worker-shutdown-timeout, e.g. 240s, so old workers keep WebSocket connections longer), proxy restarts and deploys, load balancer target deregistration (AWS ALB deregistration_delay), and NAT or firewall failovers. Make clients reconnect with a random delay and resume from the last acknowledged message, so a reload is a blip rather than a reconnect storm.',
  },
};
