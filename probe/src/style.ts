/** Text decorations for the human report; all identity unless colour is on. */
export interface Style {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const PLAIN: Style = { good: same, bad: same, dim: same, bold: same };
const ANSI: Style = {
  good: (text) => `\x1b[32m${text}\x1b[39m`,
  bad: (text) => `\x1b[31m${text}\x1b[39m`,
  dim: (text) => `\x1b[2m${text}\x1b[22m`,
  bold: (text) => `\x1b[1m${text}\x1b[22m`,
};

function same(text: string): string {
  return text;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function chooseStyle(isTTY: boolean, env: NodeJS.ProcessEnv): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return isTTY && !noColor ? ANSI : PLAIN;
}
