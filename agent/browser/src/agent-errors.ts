/** Exceptions the agent caught in its own code: it never throws into the page, it counts instead. */
export const agentErrors = { count: 0 };

/** Runs agent code (with its one argument, for listeners) so that a bug in it is counted, never seen by the page. */
export function guarded<T>(agentCode: (argument: T) => void, argument?: T): void {
  try {
    agentCode(argument as T);
  } catch {
    agentErrors.count++;
  }
}
