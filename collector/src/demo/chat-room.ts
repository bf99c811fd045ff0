import { closeWithDetail } from '@closewatch/agent-node';
import type { RawData, WebSocket } from 'ws';
import { CHAT_COMMANDS } from './fleet-routes.js';

const rooms = new Map<string, Set<WebSocket>>();

function leave(room: string, socket: WebSocket): void {
  const members = rooms.get(room);
  members?.delete(socket);
  if (members?.size === 0) rooms.delete(room);
}

/** What the server does with one chat message: a command closes the socket, anything else goes to the room. */
function onChatMessage(room: string, socket: WebSocket, data: RawData): void {
  // ws hands text messages over as one Buffer (binaryType nodebuffer)
  const text = (data as Buffer).toString();
  if (text === CHAT_COMMANDS.expireSession) {
    closeWithDetail(socket, 4001, JSON.stringify({ error: 'session expired', room, renew: '/auth/refresh' }));
  } else if (text === CHAT_COMMANDS.kick) {
    closeWithDetail(socket, 4003, JSON.stringify({ error: 'removed by a moderator', room }));
  } else if (text === CHAT_COMMANDS.restart) {
    // What a rolling deploy sends every client before the process goes away.
    socket.close(1012, 'service restart');
  } else if (text === CHAT_COMMANDS.crash) {
    // A handler bug the app "recovers" from by dropping the connection.
    socket.terminate();
  } else {
    for (const member of rooms.get(room) ?? []) member.send(text);
  }
}

/** /chat/:room: a broadcast room whose members can be expired, kicked or dropped. */
export function joinChatRoom(room: string, socket: WebSocket): void {
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(socket);
  socket.on('message', function chatOnMessage(data: RawData) {
    onChatMessage(room, socket, data);
  });
  socket.on('close', function chatOnClose() {
    leave(room, socket);
  });
}
