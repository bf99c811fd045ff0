/** The fleet server's routes, and what a client must bring to use them. */
export type FleetRoute = 'chat' | 'feed' | 'admin';

/** The only subprotocol /chat/:room speaks; older clients ask for chat.v1. */
export const CHAT_PROTOCOL = 'chat.v2';
export const OUTDATED_CHAT_PROTOCOL = 'chat.v1';
/** /admin requires `?token=` with this value. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';
/** Larger messages are refused with 1009 (ws maxPayload). */
export const FLEET_MAX_PAYLOAD_BYTES = 64 * 1024;

/** Text commands a chat client sends to make the server close in a given way. */
export const CHAT_COMMANDS = {
  expireSession: '/expire',
  kick: '/kick',
  crash: '/crash',
  restart: '/restart',
} as const;

export function fleetRoute(pathname: string): FleetRoute | null {
  if (/^\/chat\/[\w-]+$/.test(pathname)) return 'chat';
  if (pathname === '/feed') return 'feed';
  if (pathname === '/admin') return 'admin';
  return null;
}
