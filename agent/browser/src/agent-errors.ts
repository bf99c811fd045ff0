/** Exceptions the agent caught in its own code: it never throws into the page, it counts instead. */
export const agentErrors = { count: 0 };

/** Wraps agent code (of at most one argument, as listeners are) so that a bug in it is counted, never seen by the page. */
export function guard<T, R>(agentCode: (argument: T) => R): (argument?: T) => R | undefined {
  return function guardedAgentCode(argument) {
    try {
      return agentCode(argument as T);
    } catch {
      agentErrors.count++;
    }
  };
}
