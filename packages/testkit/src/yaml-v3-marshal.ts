// The YAML text go.yaml.in/yaml/v3 (v3.0.4) `yaml.Marshal` writes for a node parsed from JSON
// after gnostic's `compiler.Marshal` cleared its styles (gnostic-models `compiler/helpers.go`
// Marshal/clearStyle): the text gnostic stores in every `Any` of an OpenAPI v2 protobuf
// document (a vendor extension, a `default`, an `enum` value). A port of the parts of the
// emitter such a node reaches (`encode.go` node, `emitterc.go` block mappings and sequences,
// empty ones as flow `{}`/`[]`, scalar analysis and style selection, plain, quoted and literal
// scalars), with the encoder's defaults: indent 4, unlimited width, unicode output.

const bestIndent = 4

type Parent = 'sequence-item' | 'other'

interface Analysis {
  multiline: boolean
  blockPlainAllowed: boolean
  singleQuotedAllowed: boolean
  blockAllowed: boolean
}

type Style = 'plain' | 'single' | 'double' | 'literal'

/**
 * `yaml.Marshal` of a JSON value as gnostic stores it in an `Any`.
 *
 * @example
 * marshalYamlV3([{ group: '', kind: 'Pod', version: 'v1' }])
 * // '- group: ""\n  kind: Pod\n  version: v1\n'
 */
export function marshalYamlV3(value: unknown): string {
  const emitter = new Emitter()
  emitter.node(value, 'other', { simpleKey: false })
  // `yaml_emitter_emit_document_end`: write_indent ends the last line.
  emitter.writeIndent()
  return emitter.out
}

class Emitter {
  out = ''
  #column = 0
  #whitespace = true
  #indention = true
  #indent = -1
  readonly #indents: number[] = []

  node(value: unknown, parent: Parent, context: { simpleKey: boolean }): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.#emptyFlow('[', ']', parent)
      else this.#blockSequence(value, parent)
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value)
      if (entries.length === 0) this.#emptyFlow('{', '}', parent)
      else this.#blockMapping(entries, parent)
    } else this.#scalar(value, parent, context.simpleKey)
  }

  // `yaml_emitter_write_indent`.
  writeIndent(): void {
    const indent = Math.max(this.#indent, 0)
    if (!this.#indention || this.#column > indent || (this.#column === indent && !this.#whitespace))
      this.#putBreak()
    this.out += ' '.repeat(Math.max(indent - this.#column, 0))
    this.#column = Math.max(this.#column, indent)
    this.#whitespace = true
  }

  // `yaml_emitter_increase_indent_compact` (the encoder never sets compact sequence indent).
  #increaseIndent(flow: boolean, parent: Parent): void {
    this.#indents.push(this.#indent)
    if (this.#indent < 0) this.#indent = flow ? bestIndent : 0
    else if (parent === 'sequence-item') this.#indent += 2
    else this.#indent = bestIndent * Math.floor((this.#indent + bestIndent) / bestIndent)
  }

  #popIndent(): void {
    this.#indent = this.#indents.pop() ?? -1
  }

  #putBreak(): void {
    this.out += '\n'
    this.#column = 0
    this.#indention = true
  }

  #write(text: string): void {
    this.out += text
    this.#column += [...text].length
  }

  // `yaml_emitter_write_indicator`.
  #indicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.#whitespace) this.#write(' ')
    this.#write(indicator)
    this.#whitespace = isWhitespace
    this.#indention = this.#indention && isIndention
  }

  // An empty sequence or mapping goes out in flow style (`yaml_emitter_check_empty_sequence`).
  #emptyFlow(open: string, close: string, parent: Parent): void {
    this.#indicator(open, true, true, false)
    this.#increaseIndent(true, parent)
    this.#popIndent()
    this.#indicator(close, false, false, false)
  }

  // `yaml_emitter_emit_block_sequence_item`.
  #blockSequence(items: readonly unknown[], parent: Parent): void {
    this.#increaseIndent(false, parent)
    for (const item of items) {
      this.writeIndent()
      this.#indicator('-', true, false, true)
      this.node(item, 'sequence-item', { simpleKey: false })
    }
    this.#popIndent()
  }

  // `yaml_emitter_emit_block_mapping_key` / `_value`.
  #blockMapping(entries: readonly [string, unknown][], parent: Parent): void {
    this.#increaseIndent(false, parent)
    for (const [key, value] of entries) {
      this.writeIndent()
      // `yaml_emitter_check_simple_key`: one line, at most 128 bytes.
      if (!analyse(key).multiline && Buffer.byteLength(key) <= 128) {
        this.#scalar(key, 'other', true)
        this.#indicator(':', false, false, false)
      } else {
        this.#indicator('?', true, false, true)
        this.#scalar(key, 'other', false)
        this.writeIndent()
        this.#indicator(':', true, false, true)
      }
      this.node(value, 'other', { simpleKey: false })
    }
    this.#popIndent()
  }

  // `yaml_emitter_emit_scalar`.
  #scalar(value: unknown, parent: Parent, simpleKey: boolean): void {
    const { text, requested } = scalarOf(value)
    const style = selectStyle(text, requested, simpleKey)
    this.#increaseIndent(true, parent)
    if (style === 'plain') this.#plain(text)
    else if (style === 'single') this.#singleQuoted(text)
    else if (style === 'double') this.#doubleQuoted(text)
    else this.#literal(text)
    this.#popIndent()
  }

  #plain(text: string): void {
    if (text.length > 0 && !this.#whitespace) this.#write(' ')
    this.#write(text)
    if (text.length > 0) this.#whitespace = false
    this.#indention = false
  }

  // `yaml_emitter_write_single_quoted_scalar` (never folded: the width is unlimited).
  #singleQuoted(text: string): void {
    this.#indicator("'", true, false, false)
    let breaks = false
    for (const char of text) {
      if (isBreak(char)) {
        if (!breaks && char === '\n') this.#putBreak()
        this.#writeBreak(char)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.#write(char === "'" ? "''" : char)
        this.#indention = false
        breaks = false
      }
    }
    this.#indicator("'", false, false, false)
    this.#whitespace = false
    this.#indention = false
  }

  // `yaml_emitter_write_double_quoted_scalar`.
  #doubleQuoted(text: string): void {
    this.#indicator('"', true, false, false)
    // `is_bom` looks at the value's first bytes whatever the position.
    const bom = text.startsWith('\uFEFF')
    let body = ''
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0
      if (!isPrintable(code) || bom || isBreak(char) || char === '"' || char === '\\')
        body += `\\${escapeOf(code)}`
      else body += char
    }
    this.#write(body)
    this.#indicator('"', false, false, false)
    this.#whitespace = false
    this.#indention = false
  }

  // `yaml_emitter_write_literal_scalar` with `yaml_emitter_write_block_scalar_hints`.
  #literal(text: string): void {
    this.#indicator('|', true, false, false)
    const first = text[0] ?? ''
    if (first === ' ' || isBreak(first)) this.#indicator(String(bestIndent), false, false, false)
    const chars = [...text]
    const last = chars.at(-1) ?? ''
    let chomp = ''
    if (chars.length === 0 || !isBreak(last)) chomp = '-'
    else if (chars.length === 1 || isBreak(chars.at(-2) ?? '')) chomp = '+'
    if (chomp !== '') this.#indicator(chomp, false, false, false)
    this.#putBreak()
    this.#whitespace = true
    let breaks = true
    for (const char of chars) {
      if (isBreak(char)) {
        this.#writeBreak(char)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.#write(char)
        this.#indention = false
        breaks = false
      }
    }
  }

  // `write_break`.
  #writeBreak(char: string): void {
    if (char === '\n') this.#putBreak()
    else {
      this.out += char
      this.#column = 0
      this.#indention = true
    }
  }
}

// The node's text and the style `encode.go` node asks for: a string that holds a line break
// asks for literal style, one that would read back as another type (`resolve`) for double
// quotes; numbers, booleans and null are plain.
function scalarOf(value: unknown): { text: string; requested: Style } {
  if (typeof value === 'string') {
    if (value.includes('\n')) return { text: value, requested: 'literal' }
    return { text: value, requested: resolvesToString(value) ? 'plain' : 'double' }
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return { text: JSON.stringify(value), requested: 'plain' }
  return { text: 'null', requested: 'plain' }
}

// `yaml_emitter_select_scalar_style` in block context.
function selectStyle(text: string, requested: Style, simpleKey: boolean): Style {
  const analysis = analyse(text)
  let style = requested
  if (simpleKey && analysis.multiline) style = 'double'
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single'
    if (text.length === 0 && simpleKey) style = 'single'
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double'
  if (style === 'literal' && (!analysis.blockAllowed || simpleKey)) style = 'double'
  return style
}

// `yaml_emitter_analyze_scalar`, the block-context half.
function analyse(text: string): Analysis {
  if (text.length === 0)
    return {
      multiline: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    }
  const chars = [...text]
  let blockIndicators = text.startsWith('---') || text.startsWith('...')
  let lineBreaks = false
  let special = false
  let tabs = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let precededByWhitespace = true
  let previousSpace = false
  let previousBreak = false
  chars.forEach((char, i) => {
    const next = chars[i + 1]
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t'
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(char)) blockIndicators = true
      else if ((char === '?' || char === ':' || char === '-') && followedByWhitespace)
        blockIndicators = true
    } else if (char === ':' && followedByWhitespace) blockIndicators = true
    else if (char === '#' && precededByWhitespace) blockIndicators = true
    if (char === '\t') tabs = true
    else if (!isPrintable(char.codePointAt(0) ?? 0)) special = true
    const last = i === chars.length - 1
    if (char === ' ') {
      if (i === 0) leadingSpace = true
      if (last) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(char)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (last) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = char === ' ' || char === '\t' || char === '\0' || isBreak(char)
  })
  let blockPlainAllowed = true
  let singleQuotedAllowed = true
  let blockAllowed = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false
  if (trailingSpace) blockAllowed = false
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false
  if (spaceBreak || tabs || special) blockPlainAllowed = singleQuotedAllowed = false
  if (spaceBreak || special) blockAllowed = false
  if (lineBreaks || blockIndicators) blockPlainAllowed = false
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed }
}

// `is_printable` (yamlprivateh.go) on the character's UTF-8: LF, printable ASCII, and the BMP
// from U+00A0 except surrogates, U+FEFF, U+FFFE and U+FFFF; nothing beyond the BMP.
function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
  )
}

// `is_break`: CR, LF, NEL, LS, PS.
function isBreak(char: string): boolean {
  return (
    char === '\r' || char === '\n' || char === '\u0085' || char === '\u2028' || char === '\u2029'
  )
}

const namedEscapes: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
}

function escapeOf(code: number): string {
  const named = namedEscapes[code]
  if (named !== undefined) return named
  const hex = code.toString(16).toUpperCase()
  if (code <= 0xff) return `x${hex.padStart(2, '0')}`
  if (code <= 0xffff) return `u${hex.padStart(4, '0')}`
  return `U${hex.padStart(8, '0')}`
}

// `resolve("", text)` (resolve.go) answers `!!str`: the text does not read back as null, a
// boolean, a float, an integer or a timestamp. Its first character picks what is tried.
function resolvesToString(text: string): boolean {
  if (text === '' || specialWords.has(text)) return false
  const hint = text[0] ?? ''
  if ('yYnNtTfFoO~'.includes(hint)) return true
  // strconv.ParseFloat takes underscores between digits (its underscoreOK).
  if (hint === '.')
    return !(!/(^|[^0-9])_|_($|[^0-9])/.test(text) && isGoFloat(text.replaceAll('_', '')))
  if (!/^[-+0-9]/.test(hint)) return true
  if (isTimestamp(text)) return false
  const plain = text.replaceAll('_', '')
  return !(isGoInteger(plain) || (yamlStyleFloat.test(plain) && isGoFloat(plain)))
}

// strconv.ParseFloat succeeds: the text is a float in range (out of range is an error).
function isGoFloat(text: string): boolean {
  return (
    /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(text) &&
    Number.isFinite(Number(text))
  )
}

const specialWords = new Set(
  [
    ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
    ['~', 'null', 'Null', 'NULL'],
    ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'],
    ['-.inf', '-.Inf', '-.INF'],
  ].flat(),
)

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const int64Min = -(2n ** 63n)
const uint64Max = 2n ** 64n - 1n

// `strconv.ParseInt(text, 0, 64)` or ParseUint: a sign, then decimal, 0x hex, 0o / 0 octal or
// 0b binary digits, in range (a decimal out of range still reads as a float).
function isGoInteger(text: string): boolean {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text)
  if (match === null) return false
  const [, sign = '', digits = ''] = match
  const octal = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits
  const value = BigInt(octal) * (sign === '-' ? -1n : 1n)
  return value >= int64Min && value <= uint64Max && !(sign === '+' && value > 2n ** 63n - 1n)
}

// `parseTimestamp`: four digits and '-', then one of the layouts time.Parse accepts, in range.
function isTimestamp(text: string): boolean {
  const match =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})| ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?)?$/.exec(
      text,
    )
  if (match === null) return false
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number]
  const [hour = 0, minute = 0, second = 0] = (
    match[4] === undefined ? match.slice(7) : match.slice(4, 7)
  )
    .filter((part) => part !== undefined)
    .map(Number)
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  )
}
