/** A failure to start (port in use, data directory not writable, database unreachable), told to the user as is. */
export class StartupError extends Error {
  override name = 'StartupError';
}
