import WebSocket from 'ws';

/** One simulated client behaviour; the server's reaction is chosen by the path it connects to. */
export interface FleetScenario {
  name: string;
  /** Relative frequency in the mix. */
  weight: number;
  path: string;
  protocols?: string[];
  /** What the client does once connected (or while connecting). */
  drive(socket: WebSocket): void;
}

function after(ms: number, action: () => void): void {
  setTimeout(action, ms).unref();
}

function chatter(socket: WebSocket, messages: number): void {
  for (let i = 0; i < messages; i++) after(50 * (i + 1), () => socket.readyState === WebSocket.OPEN && socket.send(`message ${i}`));
}

/** The mix of closes the demo produces: clean, application, server-side drops, handshake failures. */
export const FLEET_SCENARIOS: readonly FleetScenario[] = [
  {
    name: 'normal close by the client',
    weight: 5,
    path: '/rooms/42',
    drive(socket) {
      socket.on('open', () => {
        chatter(socket, 3);
        after(400 + Math.random() * 800, () => socket.close(1000, 'done'));
      });
    },
  },
  { name: 'session expired (4001 from the server)', weight: 2, path: '/rooms/7?expire=1', drive: (socket) => socket.on('open', () => chatter(socket, 2)) },
  { name: 'server terminates the socket', weight: 2, path: '/rooms/9?terminate=1', drive: (socket) => socket.on('open', () => chatter(socket, 2)) },
  { name: 'server restarts (1012)', weight: 1, path: '/feed?restart=1', drive: (socket) => socket.on('open', () => chatter(socket, 1)) },
  { name: 'upgrade rejected with 401', weight: 2, path: '/private', drive: () => {} },
  { name: 'unknown path (404)', weight: 1, path: '/v0/legacy', drive: () => {} },
  { name: 'subprotocol not supported', weight: 1, path: '/rooms/1', protocols: ['chat.v9'], drive: () => {} },
  {
    name: 'client gives up while connecting',
    weight: 1,
    path: '/rooms/3',
    drive(socket) {
      after(0, () => socket.terminate());
    },
  },
  {
    name: 'message over the size limit (1009)',
    weight: 1,
    path: '/rooms/5',
    drive(socket) {
      socket.on('open', () => socket.send('x'.repeat(64 * 1024)));
    },
  },
];

/** A scenario drawn according to the weights. */
export function pickScenario(random: number = Math.random()): FleetScenario {
  const total = FLEET_SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);
  let point = random * total;
  for (const scenario of FLEET_SCENARIOS) {
    point -= scenario.weight;
    if (point < 0) return scenario;
  }
  return FLEET_SCENARIOS[0]!;
}
