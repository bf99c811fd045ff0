/** Exceptions the agent caught in its own code: it never throws into the page, it counts instead. */
export const agentErrors = { count: 0 };

/** Runs agent code so that a bug in it is counted, never seen by the page. */
export function guarded(agentCode: () => void): void {
  try {
    agentCode();
  } catch {
    agentErrors.count++;
  }
}
