/** Name and version of this package: the OTLP instrumentation scope of every span it exports. */
export const AGENT_NAME = '@closewatch/agent-browser';
export const AGENT_VERSION = '0.1.0';
