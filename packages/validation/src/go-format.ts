// How Go's fmt and encoding/json print the values the apiserver puts into its messages: a
// custom resource is decoded into map[string]interface{}, so a value is a string, int64 (an
// integral JSON number), float64, bool, nil, []interface{} or map[string]interface{}.

/**
 * Go `strconv.Quote` (what `%q` prints): printable Unicode kept, the rest escaped.
 *
 * @example
 * goQuote('a"b\n') // '"a\\"b\\n"'
 */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (cp === 7) out += '\\a'
    else if (cp === 8) out += '\\b'
    else if (cp === 12) out += '\\f'
    else if (cp === 10) out += '\\n'
    else if (cp === 13) out += '\\r'
    else if (cp === 9) out += '\\t'
    else if (cp === 11) out += '\\v'
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
    else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch)) {
      out +=
        cp > 0xffff
          ? '\\U' + cp.toString(16).padStart(8, '0')
          : '\\u' + cp.toString(16).padStart(4, '0')
    } else out += ch
  }
  return out + '"'
}

/** Go `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` prints for a float64: `1e+06`, `1.5`. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  // Shortest round-trip digits, as strconv's shortest mode; JS exponential gives them.
  const [mantissa = '', expText = '0'] = f.toExponential().split('e')
  const exp = Number(expText)
  // strconv/ftoa.go %g: exponent form when exp < -4 || exp >= 6 (the precision it uses when shortest).
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+'
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  return String(f)
}

/** Go `%v` of an int64 or float64 decoded from JSON (an integral JSON number decodes as int64). */
export function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n)
}

/**
 * A Go struct as `encoding/json` marshals one without JSON tags (an apiserver's internal type):
 * its fields by their Go names, in declaration order, where a map's keys are sorted.
 *
 * @example
 * goJson([new GoStruct([['Name', 'v1'], ['Served', true]])]) // '[{"Name":"v1","Served":true}]'
 */
export class GoStruct {
  readonly fields: readonly (readonly [string, unknown])[]
  constructor(fields: readonly (readonly [string, unknown])[]) {
    this.fields = fields
  }
}

/** Go `encoding/json.Marshal` of a decoded JSON value: sorted keys, `<>&` escaped as `\u003c`. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof GoStruct)
    return '{' + value.fields.map(([k, v]) => goJson(k) + ':' + goJson(v)).join(',') + '}'
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
    )
  }
  if (typeof value === 'number') return goJsonNumber(value)
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return '[' + value.map(goJson).join(',') + ']'
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    compareGoStrings(a, b),
  )
  return '{' + entries.map(([k, v]) => goJson(k) + ':' + goJson(v)).join(',') + '}'
}

// encoding/json floatEncoder switches to exponent form below 1e-6 and from 1e21 on, and trims
// "e-07" to "e-7": the thresholds and the shape of JavaScript's own number printing.
function goJsonNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : String(n)
}

/** Go `%v` of a decoded JSON value: `[a b]`, `map[k:v]`, `<nil>`. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>'
  if (typeof value === 'string') return value
  if (typeof value === 'number') return goNumber(value)
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return '[' + value.map(goValue).join(' ') + ']'
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    compareGoStrings(a, b),
  )
  return 'map[' + entries.map(([k, v]) => `${k}:${goValue(v)}`).join(' ') + ']'
}

/** Go compares strings byte-wise (UTF-8), which for code points is code-point order. */
export function compareGoStrings(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) ?? 0)
  const y = [...b].map((c) => c.codePointAt(0) ?? 0)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}
