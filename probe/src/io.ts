/** Where `closewatch probe` writes; injectable so tests run it in-process. */
export interface ProbeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour is used only then). Default false. */
  isTTY?: boolean;
  /** Environment for NO_COLOR. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Let Ctrl-C end a --hold early with a report. Default true for PROCESS_IO, false for any other io. */
  handleSigint?: boolean;
}

export const PROCESS_IO: ProbeIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  env: process.env,
  handleSigint: true,
};
