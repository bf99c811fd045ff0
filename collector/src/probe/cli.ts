/** `closewatch probe <ws-url> [...]`: returns the process exit code. */
export async function runProbeCommand(_argv: string[]): Promise<number> {
  process.stderr.write('closewatch probe: not implemented yet\n');
  return 2;
}
