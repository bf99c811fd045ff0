/** Bytes as readable text: UTF-8, with control characters other than newline and tab escaped. */
export function printable(bytes: Buffer): string {
  return (
    bytes
      .toString('utf8')
      .replace(/\r\n/g, '\n')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, escapeControl)
  );
}

function escapeControl(char: string): string {
  if (char === '\r') return '\\r';
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Cuts text to `max` characters with an ellipsis, for one-line previews. */
export function preview(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
