// A fast path for the block-style YAML that CRD generators write (controller-gen, kubebuilder,
// Helm charts, `kubectl get crd -o yaml`, js-yaml's `dump`): it returns exactly the value js-yaml
// `load(text, { schema: CORE_SCHEMA })` returns, or DECLINED for anything it does not fully
// recognise, which the caller then hands to js-yaml, so values, errors and error positions stay
// js-yaml's. Declined: anchors, aliases, tags, directives, flow collections with content,
// complex keys, tabs, carriage returns, folded block scalars, indentation indicators, escaped
// line breaks, numbers other than plain decimal ones, duplicate keys, non-printable characters,
// and every input js-yaml would refuse.
//
// What it reads, from YAML 1.2.2 (https://yaml.org/spec/1.2.2/):
// - §8.2.1 block sequences (`- item`, also at the indentation of their mapping key, and compact
//   `- key: value` mappings), §8.2.2 block mappings with implicit keys (`key: value`);
// - §7.3.3 plain scalars over several lines and §7.3.1/§7.3.2 quoted ones, folded as §6.5 says
//   (a line break between two lines is a space, each empty line a line feed), §5.7 escapes;
// - §8.1.2 literal block scalars (`|`, `|-`, `|+`) with §8.1.1.2 chomping;
// - §6.6 comments, §9.1 the `---` document start;
// - §10.3.2 the core schema's resolution of plain scalars (null, booleans, decimal numbers),
//   as js-yaml implements it (lib/type/null.js, bool.js, int.js, float.js).

/** What {@link parseBlockYaml} returns for a text it does not read itself. */
export const DECLINED: unique symbol = Symbol('declined')

// Thrown to unwind the descent when the text leaves the subset; made once, caught at the top.
const DECLINE = new Error('not block YAML')

// What declines before reading: tabs and carriage returns (white space and line breaks with
// rules of their own), a byte order mark, surrogates, and what js-yaml refuses as non-printable
// in a scalar (lib/loader.js PATTERN_NON_PRINTABLE, YAML §5.1 c-printable). One character class,
// one pass.
// eslint-disable-next-line no-control-regex
const OUTSIDE = /[\x00-\x09\x0B-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/

// js-yaml nests at most 100 nodes deep (`maxDepth`); far below that, js-yaml decides.
const MAX_DEPTH = 64
// An implicit key is at most 1024 characters (§7.4.2, ns-s-implicit-yaml-key).
const MAX_KEY = 1024

const SPACE = 32
const HASH = 35
const COLON = 58
const DASH = 45
const DQUOTE = 34
const SQUOTE = 39

// Characters that cannot start a plain scalar (§7.3.3 ns-plain-first, c-indicator); `-` is
// handled where it is read (`-x` is a plain scalar, `- x` a sequence entry).
const INDICATOR = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)))

const NULLS = new Set(['~', 'null', 'Null', 'NULL'])
const NULL_OR_BOOL_FIRST = new Set([...'nNtTfF~'].map((c) => c.charCodeAt(0)))
const TRUES = new Set(['true', 'True', 'TRUE'])
const FALSES = new Set(['false', 'False', 'FALSE'])
// Anything the core schema could read as an int or a float (js-yaml int.js: signs, 0b/0o/0x,
// hex digits; float.js: `.`, exponents, .inf/.nan) is made only of these after its first
// character; other text is a string.
const NUMBER_LIKE = /^[-+.0-9][-+.0-9a-fA-FxXoObBeEiInN]*$/
const DECIMAL_INT = /^-?(?:0|[1-9][0-9]{0,14})$/
const DECIMAL_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/

// A plain scalar's value under the core schema, as js-yaml resolves it; DECLINE for numbers
// other than plain decimals (js-yaml reads them).
function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0)
  // Most text starts with a letter other than `n`, `t`, `f` and their capitals: a string at once.
  if (first > 0x39 /* 9 */ && !NULL_OR_BOOL_FIRST.has(first)) return text
  if (text.length <= 5) {
    if (text === '' || NULLS.has(text)) return null
    if (TRUES.has(text)) return true
    if (FALSES.has(text)) return false
  }
  if (!NUMBER_LIKE.test(text)) return text
  if (DECIMAL_INT.test(text) || DECIMAL_FLOAT.test(text)) {
    const number = Number(text)
    // js-yaml reads `-0` as 0 and `-0.0` as -0: js-yaml decides.
    if (number === 0 && text.charCodeAt(0) === DASH) throw DECLINE
    return number
  }
  // Two dots are no number (a version such as 1.2.3).
  const dot = text.indexOf('.')
  if (dot !== -1 && text.indexOf('.', dot + 1) !== -1) return text
  throw DECLINE
}

// The `:` that ends an implicit plain key on the line [from, end) (followed by a space or the
// line end), or -1; also -1 when a comment (` #`) comes first. Searches stay on the line: an
// `indexOf` would run on through the rest of the text.
function plainKeyEnd(t: string, from: number, end: number): number {
  for (let at = from; at < end; at++) {
    const c = t.charCodeAt(at)
    if (c === COLON && (at + 1 === end || t.charCodeAt(at + 1) === SPACE)) return at
    if (c === HASH && at > from && t.charCodeAt(at - 1) === SPACE) return -1
  }
  return -1
}

function trimEnd(t: string, from: number, to: number): number {
  while (to > from && t.charCodeAt(to - 1) === SPACE) to--
  return to
}

// The rest of a line [at, end) holds nothing: spaces, then optionally a comment (`#` after a
// space, §6.6).
function restIsEmpty(t: string, at: number, end: number): boolean {
  const start = at
  while (at < end && t.charCodeAt(at) === SPACE) at++
  return at === end || (t.charCodeAt(at) === HASH && at > start)
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
}

// The escapes of a double-quoted text (§5.7): \x and \u as code units, the named ones.
function unescape(segment: string): string {
  if (!segment.includes('\\')) return segment
  let out = ''
  let from = 0
  for (let at = segment.indexOf('\\'); at !== -1; at = segment.indexOf('\\', from)) {
    out += segment.slice(from, at)
    const code = segment[at + 1]
    if (code === undefined) throw DECLINE
    const named = ESCAPES[code]
    if (named !== undefined) {
      out += named
      from = at + 2
      continue
    }
    const digits = code === 'x' ? 2 : code === 'u' ? 4 : 0
    const hex = segment.slice(at + 2, at + 2 + digits)
    if (digits === 0 || hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) throw DECLINE
    out += String.fromCharCode(parseInt(hex, 16))
    from = at + 2 + digits
  }
  return out + segment.slice(from)
}

// Where the quoted scalar opened at `open` closes before `end`, or -1 when it goes on.
function closingQuote(t: string, open: number, end: number, quote: number): number {
  for (let at = open + 1; at < end; at++) {
    const c = t.charCodeAt(at)
    if (c === quote) {
      if (quote === DQUOTE || t.charCodeAt(at + 1) !== SQUOTE) return at
      at++
    } else if (c === 92 /* \ */ && quote === DQUOTE) at++
  }
  return -1
}

const quotedText = (raw: string, quote: number): string =>
  quote === SQUOTE ? raw.replaceAll("''", "'") : unescape(raw)

// Reads the whole text in place: a line is [start(n), end(n)), a column is an offset from its
// start. (Slicing the text into lines first made every later read of a line slower.)
class BlockReader {
  private readonly t: string
  private readonly starts: number[] = [0]
  // Lines that hold text: after a final line break there is none.
  private readonly count: number
  private readonly endsWithBreak: boolean
  // The current line.
  private i = 0

  constructor(text: string) {
    this.t = text
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.starts.push(at + 1)
    }
    this.endsWithBreak = text.endsWith('\n')
    this.count = this.starts.length - (this.endsWithBreak ? 1 : 0)
    this.starts.push(text.length + 1)
  }

  private start(n: number): number {
    return this.starts[n] as number
  }

  private end(n: number): number {
    return (this.starts[n + 1] as number) - 1
  }

  // The first `#` at or after `hashFrom` (Infinity: none): `#` is rare, so one search serves
  // many lines instead of each line searching on to the end of the text.
  private hashFrom = 0
  private hashAt = -1

  // Where a plain scalar's text on the line [from, end) stops: at a comment (` #`) or the line
  // end. A `: ` or a final `:` in it (`a: b: c`, refused by js-yaml) declines.
  private plainStop(from: number, end: number): number {
    const t = this.t
    for (let colon = t.indexOf(':', from); colon !== -1 && colon < end;) {
      if (colon + 1 === end || t.charCodeAt(colon + 1) === SPACE) {
        // Past a comment, a `: ` is the comment's.
        const stop = this.commentIn(from, colon)
        if (stop === colon) throw DECLINE
        return stop
      }
      colon = t.indexOf(':', colon + 1)
    }
    return this.commentIn(from, end)
  }

  // The first comment (` #`) in [from, end), or `end`.
  private commentIn(from: number, end: number): number {
    for (let at = from; ; at++) {
      if (at < this.hashFrom || at > this.hashAt) {
        this.hashFrom = at
        const found = this.t.indexOf('#', at)
        this.hashAt = found === -1 ? Infinity : found
      }
      if (this.hashAt >= end) return end
      at = this.hashAt
      if (this.t.charCodeAt(at - 1) === SPACE) return at
    }
  }

  // The last line whose indentation was counted: a scalar looks at the line after it, and the
  // collection around it then reads that line again.
  private counted = -1
  private countedIndent = 0

  // The indentation of line n (-2 for a line of spaces only, whatever their number).
  private indent(n: number): number {
    if (n === this.counted) return this.countedIndent
    this.counted = n
    this.countedIndent = this.countIndent(n)
    return this.countedIndent
  }

  private countIndent(n: number): number {
    const start = this.start(n)
    const end = this.end(n)
    let at = start
    while (at < end && this.t.charCodeAt(at) === SPACE) at++
    return at === end ? -2 : at - start
  }

  // Moves to the next line holding a node; its indentation, or -1 at the end.
  private skipEmpty(): number {
    while (this.i < this.count) {
      const indent = this.indent(this.i)
      if (indent >= 0 && this.t.charCodeAt(this.start(this.i) + indent) !== HASH) return indent
      this.i++
    }
    return -1
  }

  document(): unknown {
    const t = this.t
    let indent = this.skipEmpty()
    let explicit = false
    if (indent === 0 && t.startsWith('---', this.start(this.i))) {
      const after = this.start(this.i) + 3
      const end = this.end(this.i)
      if (after < end && t.charCodeAt(after) !== SPACE) throw DECLINE
      if (!restIsEmpty(t, after, end)) throw DECLINE
      explicit = true
      this.i++
      indent = this.skipEmpty()
    }
    if (indent === -1) {
      // An empty document: null after `---` (js-yaml), nothing at all otherwise.
      if (explicit) return null
      throw DECLINE
    }
    const at = this.start(this.i) + indent
    const value = this.isEntry(at, this.end(this.i))
      ? this.sequence(indent, 1)
      : this.mapping(indent, false, 1)
    if (this.skipEmpty() !== -1) throw DECLINE
    return value
  }

  // `-` followed by a space or the line end at `at`: a sequence entry (§8.2.1).
  private isEntry(at: number, end: number): boolean {
    if (this.t.charCodeAt(at) !== DASH) return false
    return at + 1 === end || this.t.charCodeAt(at + 1) === SPACE
  }

  private sequence(indent: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw DECLINE
    const t = this.t
    const items: unknown[] = []
    for (;;) {
      const column = this.skipEmpty()
      if (column === -1 || column < indent) break
      if (column > indent) throw DECLINE
      const start = this.start(this.i)
      const end = this.end(this.i)
      if (!this.isEntry(start + column, end)) break
      let at = start + column + 1
      while (at < end && t.charCodeAt(at) === SPACE) at++
      if (at === end || t.charCodeAt(at) === HASH) {
        this.i++
        const item = this.nested(indent, false, depth)
        // An empty entry: js-yaml 4 (`readBlockSequence`) goes on reading the entries of an
        // outer sequence at a smaller indentation as this one's (`- A:\n    -\n- 2` gives
        // `[{A: [null, 2]}]`), which §8.2.1 does not; js-yaml is the judge, so it reads these.
        if (item === null) throw DECLINE
        items.push(item)
      } else if (this.startsEntry(at, end)) {
        items.push(this.mapping(at - start, true, depth + 1))
      } else {
        items.push(this.value(start + column + 1, indent, depth, false))
      }
    }
    return items
  }

  // Whether the node at `at` is a mapping entry (`key: …`, `"key": …`).
  private startsEntry(at: number, end: number): boolean {
    const c = this.t.charCodeAt(at)
    if (c === DQUOTE || c === SQUOTE) {
      const close = closingQuote(this.t, at, end, c)
      return close !== -1 && this.t.charCodeAt(close + 1) === COLON
    }
    if (INDICATOR.has(c) || this.isEntry(at, end)) return false
    return plainKeyEnd(this.t, at, end) !== -1
  }

  // A block mapping whose keys start at column `indent`; `inline`: its first key is on the
  // current line after a sequence entry's `- `.
  private mapping(indent: number, inline: boolean, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw DECLINE
    const t = this.t
    const out: Record<string, unknown> = {}
    for (let first = inline; ; first = false) {
      if (!first) {
        const column = this.skipEmpty()
        if (column === -1 || column < indent) break
        if (column > indent) throw DECLINE
      }
      const at = this.start(this.i) + indent
      const end = this.end(this.i)
      const c = t.charCodeAt(at)
      let key: string
      let rest: number
      if (c === DQUOTE || c === SQUOTE) {
        const close = closingQuote(t, at, end, c)
        if (close === -1 || t.charCodeAt(close + 1) !== COLON) throw DECLINE
        key = quotedText(t.slice(at + 1, close), c)
        rest = close + 2
        if (rest < end && t.charCodeAt(rest) !== SPACE) throw DECLINE
      } else {
        if (INDICATOR.has(c) || this.isEntry(at, end)) throw DECLINE
        const colon = plainKeyEnd(t, at, end)
        if (colon === -1 || colon - at > MAX_KEY) throw DECLINE
        key = String(resolvePlain(t.slice(at, trimEnd(t, at, colon))))
        rest = colon + 1
      }
      if (Object.prototype.hasOwnProperty.call(out, key)) throw DECLINE
      const value = this.value(rest, indent, depth, true)
      if (key === '__proto__') {
        // An own property, as js-yaml sets it (lib/loader.js setProperty).
        Object.defineProperty(out, key, {
          configurable: true,
          enumerable: true,
          writable: true,
          value,
        })
      } else out[key] = value
    }
    return out
  }

  // The node after a key's `:` or an entry's `-`, from `from` on the current line, inside a
  // collection at column `indent`; `inMapping`: a sequence may follow at the key's column.
  private value(from: number, indent: number, depth: number, inMapping: boolean): unknown {
    const t = this.t
    const end = this.end(this.i)
    let at = from
    while (at < end && t.charCodeAt(at) === SPACE) at++
    if (at === end || (t.charCodeAt(at) === HASH && at > from)) {
      this.i++
      return this.nested(indent, inMapping, depth)
    }
    const c = t.charCodeAt(at)
    if (c === DQUOTE || c === SQUOTE) return this.quoted(at, end, c, indent)
    if (c === 124 /* | */) return this.literal(at, end, indent)
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (t.charCodeAt(at + 1) !== c + 2 || !restIsEmpty(t, at + 2, end)) throw DECLINE
      this.i++
      return c === 91 ? [] : {}
    }
    if (INDICATOR.has(c) || this.isEntry(at, end)) throw DECLINE
    return this.plain(at, end, indent)
  }

  // The node on the lines after an empty value: a collection or a scalar indented more than the
  // parent (or a sequence at a mapping key's own column, §8.2.1), else null.
  private nested(indent: number, inMapping: boolean, depth: number): unknown {
    const column = this.skipEmpty()
    if (column === -1 || column < indent) return null
    const at = this.start(this.i) + column
    const end = this.end(this.i)
    if (column === indent) {
      return inMapping && this.isEntry(at, end) ? this.sequence(column, depth + 1) : null
    }
    if (this.isEntry(at, end)) return this.sequence(column, depth + 1)
    if (this.startsEntry(at, end)) return this.mapping(column, false, depth + 1)
    return this.value(at, indent, depth, false)
  }

  // The lines after the current one that go on with a plain scalar of a node at column
  // `indent`: each indented more, empty lines among them ('' each). Leaves the reader on the
  // last of them.
  private continuation(indent: number): string[] {
    const t = this.t
    const more: string[] = []
    let empty = 0
    for (let n = this.i + 1; n < this.count; n++) {
      const column = this.indent(n)
      if (column === -2) {
        empty++
        continue
      }
      if (column <= indent) break
      const at = this.start(n) + column
      const c = t.charCodeAt(at)
      // Any character but `#` goes on with the scalar (§7.3.3 ns-plain-char); a comment line
      // among its lines: js-yaml decides.
      if (c === HASH) throw DECLINE
      for (; empty > 0; empty--) more.push('')
      more.push(t.slice(at, trimEnd(t, at, this.end(n))))
      this.i = n
    }
    return more
  }

  // §6.5 line folding of a flow scalar's lines: one break between two lines is a space, each
  // empty line ('') a line feed. `closing`: the last line ends the scalar at its quote, so it
  // folds even when empty.
  private static fold(lines: readonly string[], closing: boolean): string {
    let out = lines[0] as string
    let breaks = 0
    for (let n = 1; n < lines.length; n++) {
      const line = lines[n] as string
      if (line === '' && !(closing && n === lines.length - 1)) {
        breaks++
        continue
      }
      out += (breaks === 0 ? ' ' : '\n'.repeat(breaks)) + line
      breaks = 0
    }
    return out
  }

  private plain(at: number, end: number, indent: number): unknown {
    const t = this.t
    const stop = this.plainStop(at, end)
    const text = t.slice(at, trimEnd(t, at, stop))
    const more = this.continuation(indent)
    this.i++
    if (more.length === 0) return resolvePlain(text)
    if (stop !== end) throw DECLINE
    for (const next of more) {
      if (next.includes(': ') || next.includes(' #') || next.endsWith(':')) throw DECLINE
    }
    // A scalar over several lines holds a space or a line feed: no null, boolean or number.
    return BlockReader.fold([text, ...more], false)
  }

  private quoted(open: number, end: number, quote: number, indent: number): string {
    const t = this.t
    const close = closingQuote(t, open, end, quote)
    if (close !== -1) {
      if (!restIsEmpty(t, close + 1, end)) throw DECLINE
      this.i++
      return quotedText(t.slice(open + 1, close), quote)
    }
    // Over several lines (§7.3.1, §7.3.2): each line trimmed, folded, escapes per line.
    const parts = [t.slice(open + 1, trimEnd(t, open + 1, end))]
    for (let n = this.i + 1; ; n++) {
      if (n >= this.count) throw DECLINE
      const column = this.indent(n)
      if (column === -2) {
        parts.push('')
        continue
      }
      if (column <= indent) throw DECLINE
      const at = this.start(n) + column
      const lineEnd = this.end(n)
      const closing = closingQuote(t, at - 1, lineEnd, quote)
      if (closing === -1) {
        parts.push(t.slice(at, trimEnd(t, at, lineEnd)))
        continue
      }
      if (!restIsEmpty(t, closing + 1, lineEnd)) throw DECLINE
      parts.push(t.slice(at, closing))
      this.i = n + 1
      break
    }
    // An escaped line break or escaped white space at a line's end: js-yaml decides.
    if (quote === DQUOTE && parts.some((part, n) => n < parts.length - 1 && part.endsWith('\\')))
      throw DECLINE
    return quotedText(BlockReader.fold(parts, true), quote)
  }

  // A literal block scalar (§8.1.2) whose content is indented more than `indent`: `|` or `|-`
  // with an optional comment. Its content indentation is that of its first non-empty line.
  private literal(at: number, end: number, indent: number): string {
    const t = this.t
    const strip = t.charCodeAt(at + 1) === DASH
    // `|+` (keep), an indentation indicator, text after the header: js-yaml decides.
    if (!restIsEmpty(t, strip ? at + 2 : at + 1, end)) throw DECLINE
    let column = -1
    let leading = 0
    for (let n = this.i + 1; n < this.count && column === -1; n++) {
      const spaces = this.indent(n)
      if (spaces === -2) leading = Math.max(leading, this.end(n) - this.start(n))
      else column = spaces
    }
    // Empty content, or leading empty lines indented more than the content: js-yaml decides.
    if (column <= indent || leading > column) throw DECLINE
    const content: string[] = []
    let last = -1
    for (let n = this.i + 1; n < this.count; n++) {
      const start = this.start(n)
      const lineEnd = this.end(n)
      const spaces = this.indent(n)
      if (spaces === -2 && lineEnd - start <= column) {
        content.push('')
        continue
      }
      // A line of spaces past the content's indentation holds the spaces past it.
      if (spaces !== -2 && spaces < column) break
      content.push(t.slice(start + column, lineEnd))
      last = content.length - 1
    }
    const final = this.i + 1 + last
    // Ending at the end of a text without a final line break: js-yaml decides.
    if (final === this.count - 1 && !this.endsWithBreak) throw DECLINE
    this.i = final + 1
    const text = content.slice(0, last + 1).join('\n')
    return strip ? text : text + '\n'
  }
}

/**
 * The value js-yaml `load(text, { schema: CORE_SCHEMA })` returns for one block-style YAML
 * document, or {@link DECLINED} when the text leaves the subset this reads (then js-yaml must
 * read it: it also gives every error).
 *
 * @example
 * parseBlockYaml('a:\n  - 1\n  - x\n') // { a: [1, 'x'] }
 * parseBlockYaml('a: &x 1\nb: *x\n') // DECLINED
 */
export function parseBlockYaml(text: string): unknown {
  if (OUTSIDE.test(text)) return DECLINED
  try {
    return new BlockReader(text).document()
  } catch (error) {
    if (error === DECLINE) return DECLINED
    throw error
  }
}
