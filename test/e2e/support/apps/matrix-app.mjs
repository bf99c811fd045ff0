// The cause matrix's ws app: one process, one http server, one WebSocketServer per situation, chosen by
// the first path segment (/auth/…, /chat/…). Run under the real agent
// (node --import @closewatch/agent-node/register matrix-app.mjs) or without it for the client-only rows.
// Prints `listening <port>` (upgrades and /control/…) and `plain <port>` (an HTTP server without WebSocket).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const ALLOWED_ORIGIN = 'https://app.example.com';
const MAX_PAYLOAD_BYTES = 64 * 1024;
// Long enough that a browser on a saturated machine still answers a ping in time.
const HEARTBEAT_INTERVAL_MS = 1_500;
const SESSION_EXPIRED = JSON.stringify({ error: 'session expired', sessionId: 'sess-42' });

/** The agent's API when the process runs under it; the plain app closes with the bare code. */
async function loadAgentApi() {
  try {
    return await import('@closewatch/agent-node');
  } catch {
    return null;
  }
}
const agentApi = process.env.MATRIX_AGENT_API === '1' ? await loadAgentApi() : null;

function segmentOf(url) {
  return new URL(url ?? '/', 'http://app.invalid').pathname.split('/')[1] ?? '';
}

function echo(socket) {
  socket.on('error', function ignoreSocketError() {});
  socket.on('message', function echoMessage(data, isBinary) {
    socket.send(data, { binary: isBinary });
  });
}

function rejectUpgrade(socket, status, text, headers = '') {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`);
}

function startHeartbeat(wss) {
  wss.on('connection', function markAlive(socket) {
    socket.isAlive = true;
    socket.on('pong', function heartbeat() {
      socket.isAlive = true;
    });
  });
  setInterval(function pingClients() {
    for (const socket of wss.clients) {
      if (socket.isAlive === false) {
        socket.terminate();
        continue;
      }
      socket.isAlive = false;
      socket.ping();
    }
  }, HEARTBEAT_INTERVAL_MS).unref();
}

const servers = {
  auth: new WebSocketServer({
    noServer: true,
    verifyClient: function requireToken(info, done) {
      done(false, 401, 'token missing or expired');
    },
  }),
  origin: new WebSocketServer({
    noServer: true,
    verifyClient: function checkOrigin(info, done) {
      if (info.origin === ALLOWED_ORIGIN) done(true);
      else done(false, 403, 'origin not allowed');
    },
  }),
  chat: new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : false) }),
  echo: new WebSocketServer({ noServer: true }),
  crash: new WebSocketServer({ noServer: true }),
  heartbeat: new WebSocketServer({ noServer: true }),
  upload: new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES }),
  bye: new WebSocketServer({ noServer: true }),
  expire: new WebSocketServer({ noServer: true }),
  stuck: new WebSocketServer({ noServer: true }),
};
for (const [name, wss] of Object.entries(servers)) {
  // /crash ends the socket on the first message: no echo that might race the terminate.
  if (name !== 'crash') wss.on('connection', echo);
}
servers.crash.on('connection', function ignoreSocketError(socket) {
  socket.on('error', () => {});
});
servers.crash.on('connection', function terminateOnFirstMessage(socket) {
  socket.once('message', () => socket.terminate());
});
servers.upload.on('connection', function ignoreRejectedFrame(socket) {
  socket.on('error', () => {});
});
servers.bye.on('connection', function closeOnFirstMessage(socket) {
  socket.once('message', () => socket.close(1000, 'bye'));
});
servers.expire.on('connection', function expireOnFirstMessage(socket) {
  socket.once('message', function closeExpired() {
    if (agentApi) agentApi.closeWithDetail(socket, 4001, SESSION_EXPIRED);
    else socket.close(4001, 'session expired');
  });
});
startHeartbeat(servers.heartbeat);

const heldUpgrades = [];

function handleUpgrade(req, socket, head) {
  socket.on('error', function ignoreHandshakeSocketError() {});
  const segment = segmentOf(req.url);
  // A server that drains refuses new connections until it is gone.
  if (segment === 'drain') return rejectUpgrade(socket, 503, 'Service Unavailable', 'Retry-After: 5\r\n');
  // The app hangs before answering (a lookup that never returns); only a proxy's timeout ends it.
  if (segment === 'silent') return;
  const wss = servers[segment];
  if (!wss) return rejectUpgrade(socket, 404, 'Not Found');
  const accept = () => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  // Held until the test has the client give up: /control/release-slow lets ws answer the closed socket.
  if (segment === 'slow') {
    heldUpgrades.push(accept);
    console.log(`holding upgrade ${req.url?.split('?')[0]}`);
    return;
  }
  accept();
}
servers.slow = servers.echo;

async function control(req, res) {
  const action = new URL(req.url ?? '/', 'http://app.invalid').pathname;
  if (action === '/control/release-slow') {
    for (const accept of heldUpgrades.splice(0)) accept();
    res.end('ok');
  } else if (action === '/control/close-stuck') {
    for (const socket of servers.stuck.clients) socket.close(1000, 'done');
    res.end('ok');
  } else if (action === '/control/shutdown-gracefully' && agentApi) {
    res.end('ok');
    await agentApi.shutdownGracefully({ timeoutMs: 2_000 });
    process.exit(0);
  } else {
    res.statusCode = 404;
    res.end('no such control');
  }
}

const server = createServer(control);
server.on('upgrade', handleUpgrade);
server.listen(0, '127.0.0.1', function printPort() {
  console.log(`listening ${server.address().port}`);
});

// A plain HTTP endpoint (a REST API, a static site): it answers every GET, upgrade or not, with 200.
const plain = createServer(function answerPlainly(req, res) {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>not a WebSocket endpoint</title>');
});
plain.listen(0, '127.0.0.1', function printPlainPort() {
  console.log(`plain ${plain.address().port}`);
});
