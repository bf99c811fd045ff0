// The OTLP sink of server-cost.bench.ts, in a third process: accepts every POST like a collector
// that stores nothing, and counts bodies and bytes.
import { createServer } from 'node:http';

let bodies = 0;
let bytes = 0;
const server = createServer((request, response) => {
  request.on('data', (chunk) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    bodies += 1;
    if (String(request.headers['content-type']).startsWith('application/x-protobuf')) {
      response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' }).end();
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'count') process.send({ bodies, bytes });
});
