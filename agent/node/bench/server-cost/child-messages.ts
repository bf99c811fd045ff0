// The IPC conversation of the server-cost benches with their children (echo server, clients, sink).
import type { ChildProcess } from 'node:child_process';

/** Sends `message` and resolves with the first answer the child sends back (rejects on `{ error }`). */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (answer) => {
      const error = (answer as { error?: string }).error;
      if (error) reject(new Error(error));
      else resolve(answer as T);
    });
    child.send(message as object);
  });
}

/** The child's first message (it says it is ready, with its port); rejects if it exits first. */
export function started<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}
