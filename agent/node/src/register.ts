// `node --import @closewatch/agent-node/register app.js`: instruments ws before the app loads it.
import { startAgent } from './agent-bootstrap.js';
import { configFromEnv } from './env-config.js';

startAgent(configFromEnv(process.env));
