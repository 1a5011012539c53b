// Text from a server (a Status message, a warning, a schema name, a TLS library's text) on its
// way to a terminal or a log: C0 controls but tab and newline, DEL, C1 controls and the Unicode
// line separators must not move the cursor, recolour or retitle a terminal, nor forge a log
// line's end. An escape sequence loses its ESC, which is enough to make it inert text.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * `text` with control characters (ESC, CR, BEL, NUL, C1, line separators…) removed, keeping tabs
 * and newlines; what every message built from a server's text passes through (the client's
 * errors and warnings, the CLI's output).
 *
 * @example
 * stripControl('bad\u001b]0;title\u0007name') // 'bad]0;titlename'
 */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '')
}
