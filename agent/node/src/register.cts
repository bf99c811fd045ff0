// `node --require @closewatch/agent-node/register app.cjs`: Node ≥20.19 can require the ESM agent synchronously.
require('./register.js');
