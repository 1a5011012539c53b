// The one place a server string becomes TypeScript source text without the compiler's printer:
// a string literal, a property name and a JSDoc comment, each written exactly as
// `ts.createPrinter()` prints the node the factory would build for it (typescript
// src/compiler/utilities.ts escapeString / escapeNonAsciiString for literals,
// src/compiler/emitter.ts emitLeadingSynthesizedComment and writeCommentRange for comments), so
// the generated files do not change with the emitter. Printing the syntax trees of every schema
// was a quarter of a cold `generate`; the type declarations are written as text with these.
import { isPlainPropertyName } from './names.js'

// What the printer escapes in a single-quoted literal: the quote, `\`, C0 controls, and every
// non-ASCII code unit (escapeNonAsciiString: each UTF-16 unit as `\uXXXX`, so a non-BMP character
// becomes its surrogate pair, U+2028/2029 and U+0085 included). DEL (U+007F) stays as it is.
// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const ESCAPED = /[\\'\u0000-\u001f\u0080-\uffff]/g
const NAMED: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\v': '\\v',
  '\f': '\\f',
  '\b': '\\b',
  '\r': '\\r',
  '\n': '\\n',
  '\\': '\\\\',
  "'": "\\'",
}

function escape(c: string, offset: number, input: string): string {
  const named = NAMED[c]
  if (named !== undefined) return named
  const code = c.charCodeAt(0)
  // `\0` before a digit would read as an octal escape.
  if (code === 0) {
    const next = input.charCodeAt(offset + 1)
    return next >= 0x30 && next <= 0x39 ? '\\x00' : '\\0'
  }
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * `value` as a single-quoted string literal, as the printer writes `createStringLiteral(value,
 * true)`: whatever it holds, it reads back as `value` and ends where it should.
 *
 * @example
 * stringLiteral("it's\n") // "'it\\'s\\n'"
 */
export function stringLiteral(value: string): string {
  return `'${value.replace(ESCAPED, escape)}'`
}

/**
 * A property name as source: the name itself when it is a plain identifier (names.ts
 * isPlainPropertyName), else a string literal.
 *
 * @example
 * propertyNameText('x-kubernetes-foo') // "'x-kubernetes-foo'"
 */
export function propertyNameText(name: string): string {
  return isPlainPropertyName(name) ? name : stringLiteral(name)
}

// Any line terminator TypeScript's scanner knows (scanner.ts isLineBreak).
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/

/**
 * The lines of a JSDoc comment's text, each to be written after ` * `: the non-empty `lines`
 * joined by a blank line, split at every line terminator, `*\/` broken up so the comment cannot
 * end early (a block comment ends at nothing else). Empty when there is nothing to say.
 *
 * @example
 * jsDocLines(['A.', '', 'B.']) // ['A.', '', 'B.']
 */
export function jsDocLines(lines: readonly string[]): string[] {
  const text = lines.filter((l) => l !== '').join('\n\n')
  if (text === '') return []
  return text.replace(/\*\//g, '*\\/').split(LINE_BREAKS)
}

const INDENTS: string[] = ['']

/**
 * Four spaces per level, as the printer indents.
 *
 * @example
 * indentation(2) // '        '
 */
export function indentation(level: number): string {
  for (let i = INDENTS.length; i <= level; i++) INDENTS.push(`${INDENTS[i - 1] ?? ''}    `)
  return INDENTS[level] as string
}

/**
 * A JSDoc comment of `lines` (see {@link jsDocLines}) before a node at indentation `level`, as the
 * printer writes a synthesized leading comment: each line re-indented to the node's column plus
 * one space and trimmed at its end (writeCommentRange trims every line), then a line break. Empty
 * when there is nothing to say.
 *
 * @example
 * jsDocText(['A field.'], 1) // '    /**\n     * A field.\n     *\/\n' (with `*` `/` at the end)
 */
export function jsDocText(lines: readonly string[], level: number): string {
  const parts = jsDocLines(lines)
  if (parts.length === 0) return ''
  const pad = indentation(level)
  let text = `${pad}/**\n`
  for (const part of parts) text += `${pad} ${`* ${part}`.trimEnd()}\n`
  return `${text}${pad} */\n`
}
