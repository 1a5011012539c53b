// The apiserver's pretty JSON: k8s.io/apiserver pkg/endpoints/handlers/negotiation isPrettyPrint
// (`?pretty=true`, or a User-Agent starting with `curl`, `Wget` or `Mozilla/5.0` — what
// `curl` through `kubectl proxy` gets) makes the JSON serializer write json.MarshalIndent(obj,
// "", "  "): two-space indentation, `": "` between key and value, `{}` and `[]` kept empty, no
// final newline, and encoding/json's HTML escaping of `<`, `>`, `&`, U+2028 and U+2029 in
// strings. The emulator writes compact JSON; this re-indents it token by token, so numbers keep
// their digits (no int64 ever passes through a float).

/**
 * Whether a request asks for pretty JSON (negotiate.go isPrettyPrint).
 *
 * @example
 * wantsPrettyJson(new URLSearchParams(''), 'curl/8.5.0') // true
 */
export function wantsPrettyJson(search: URLSearchParams, userAgent: string | undefined): boolean {
  const pretty = search.get('pretty')
  // strconv.ParseBool: 1 t T TRUE true True (a value it cannot parse is false).
  if (pretty !== null && pretty !== '')
    return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(pretty)
  const agent = userAgent ?? ''
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0')
}

const htmlEscapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/**
 * `json` (valid compact or spaced JSON) as json.MarshalIndent(…, "", "  ") writes it.
 *
 * @example
 * indentJson('{"a":[1,{}],"b":"<x>"}') // '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": "\\u003cx\\u003e"\n}'
 */
export function indentJson(json: string): string {
  let out = ''
  let depth = 0
  let i = 0
  const newline = (): string => `\n${'  '.repeat(depth)}`
  while (i < json.length) {
    const c = json.charAt(i)
    if (c === '"') {
      let end = i + 1
      while (end < json.length && json.charAt(end) !== '"') end += json.charAt(end) === '\\' ? 2 : 1
      out += json.slice(i, end + 1).replace(/[<>&\u2028\u2029]/g, (h) => htmlEscapes[h] ?? h)
      i = end + 1
      continue
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++
      continue
    }
    if (c === '{' || c === '[') {
      // An empty object or array stays on its line.
      let next = i + 1
      while (/\s/.test(json.charAt(next))) next++
      if (json.charAt(next) === (c === '{' ? '}' : ']')) {
        out += c === '{' ? '{}' : '[]'
        i = next + 1
        continue
      }
      depth++
      out += c + newline()
    } else if (c === '}' || c === ']') {
      depth--
      out += newline() + c
    } else if (c === ',') out += `,${newline()}`
    else if (c === ':') out += ': '
    else out += c
    i++
  }
  return out
}
