export { init, uninstall, type Agent, type AgentStats } from './agent.js';
export type { AgentOptions } from './options.js';
