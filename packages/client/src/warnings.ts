// `Warning` response headers (RFC 7234 §5.5) as the apiserver sends them for deprecated APIs,
// unknown fields under fieldValidation=Warn and admission warnings, parsed as apimachinery
// pkg/util/net/http.go `ParseWarningHeader`/`ParseWarningHeaders` (client-go rest/warnings.go
// hands each one to the warning handler).

/**
 * One warning: `code` (three digits; the apiserver sends 299), `agent` (`-` from the apiserver)
 * and the unquoted `text`.
 *
 * @example
 * const w: Warning = { code: 299, agent: '-', text: 'unknown field "spec.x"' }
 */
export interface Warning {
  code: number
  agent: string
  text: string
}

/**
 * The warnings of `Warning` header values, in order. A value that does not parse ends that value
 * (client-go drops the rest of it too); the warnings before it are kept. RFC 2047 encoded-words
 * are not decoded (the apiserver never sends them).
 *
 * @example
 * parseWarningHeaders(['299 - "a", 299 - "b" "Mon, 30 Nov 2026 07:00:00 GMT"']) // [{ code: 299, agent: '-', text: 'a' }, { code: 299, agent: '-', text: 'b' }]
 */
export function parseWarningHeaders(values: readonly string[]): Warning[] {
  const warnings: Warning[] = []
  for (const value of values) {
    let rest = value
    while (rest.length > 0) {
      const parsed = parseWarningHeader(rest)
      if (parsed === undefined) break
      warnings.push(parsed.warning)
      rest = parsed.remainder
    }
  }
  return warnings
}

// http.go ParseWarningHeader: `code agent "text"[ "date"][, …]`.
function parseWarningHeader(header: string): { warning: Warning; remainder: string } | undefined {
  const trimmed = header.trim()
  const first = trimmed.indexOf(' ')
  const second = first < 0 ? -1 : trimmed.indexOf(' ', first + 1)
  if (second < 0) return undefined
  const code = trimmed.slice(0, first)
  const agent = trimmed.slice(first + 1, second)
  const textDateRemainder = trimmed.slice(second + 1)
  if (!/^[0-9]{3}$/.test(code)) return undefined
  if (agent === '' || hasControl(agent)) return undefined
  if (textDateRemainder === '') return undefined
  const quoted = parseQuotedString(textDateRemainder)
  if (quoted === undefined || hasControl(quoted.text)) return undefined
  let remainder = ''
  const afterText = quoted.remainder
  if (afterText.startsWith('"')) {
    const end = afterText.indexOf('"', 1)
    if (end < 0) return undefined
    remainder = afterText.slice(end + 1).trim()
  } else remainder = afterText
  if (remainder.length > 0) {
    if (!remainder.startsWith(',')) return undefined
    remainder = remainder.slice(1).trim()
  }
  return { warning: { code: Number(code), agent, text: quoted.text }, remainder }
}

// http.go parseQuotedString: backslash escapes any character.
function parseQuotedString(value: string): { text: string; remainder: string } | undefined {
  if (!value.startsWith('"')) return undefined
  let text = ''
  let escaping = false
  for (let i = 1; i < value.length; i++) {
    const c = value[i]
    if (c === '"' && !escaping) return { text, remainder: value.slice(i + 1).trim() }
    if (c === '\\' && !escaping) {
      escaping = true
      continue
    }
    text += c
    escaping = false
  }
  return undefined
}

// http.go hasAnyRunes(…, unicode.IsControl): C0, DEL and C1 controls.
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}
