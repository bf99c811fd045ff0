import { mergeSighting, sightingKey, type AgentSighting, type Fleet } from './fleet-store.js';
import { forgetAgents } from './mass-drop-facts.js';

/** Sightings are written at most this often; a busy agent's spans add up in memory in between. */
export const AGENT_WRITE_INTERVAL_MS = 500;

/**
 * Keeps which agents report (docs/design.md "Agents known") without a store write per request: the
 * first sighting is written at once, later ones at most every AGENT_WRITE_INTERVAL_MS. Best effort: a
 * failed write is retried with the next one and never fails ingest.
 */
export class AgentRecorder {
  readonly #fleet: Fleet;
  readonly #onError: (error: unknown) => void;
  #pending = new Map<string, AgentSighting>();
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;

  constructor(fleet: Fleet, onError: (error: unknown) => void = () => {}) {
    this.#fleet = fleet;
    this.#onError = onError;
  }

  observe(sightings: readonly AgentSighting[]): void {
    for (const sighting of sightings) {
      const key = sightingKey(sighting);
      const known = this.#pending.get(key);
      this.#pending.set(key, known ? mergeSighting(known, sighting) : sighting);
    }
    if (this.#timer === null && this.#writing === null) void this.flush();
  }

  /** Writes what is pending now; resolves when written (or failed). */
  flush(): Promise<void> {
    if (this.#writing) return this.#writing.then(() => this.flush());
    if (this.#pending.size === 0) return Promise.resolve();
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#writing = this.#fleet
      .recordAgents(batch)
      .then(() => forgetAgents(this.#fleet))
      .catch((error: unknown) => {
        for (const sighting of batch) this.observeLater(sighting);
        this.#onError(error);
      })
      .finally(() => {
        this.#writing = null;
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (this.#pending.size > 0) void this.flush();
        }, AGENT_WRITE_INTERVAL_MS);
        this.#timer.unref();
      });
    return this.#writing;
  }

  private observeLater(sighting: AgentSighting): void {
    const key = sightingKey(sighting);
    const known = this.#pending.get(key);
    this.#pending.set(key, known ? mergeSighting(known, sighting) : sighting);
  }
}
