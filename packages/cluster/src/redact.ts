import { ClusterError, type ClusterErrorCode } from './errors.js'

const REDACTED = '[REDACTED]'

// Secrets shorter than this are not searched for on their own: replacing every "a" in a message
// would make it unreadable, and such values are not credentials a server accepts anyway. They are
// still caught by the header/URL patterns below.
const MIN_SECRET_LENGTH = 4

// Values that follow these markers are credentials whatever they are: an Authorization header
// printed by some library, or userinfo in a URL (a proxy-url such as http://user:pass@proxy).
const AUTH_SCHEME_VALUE = /\b(Bearer|Basic)\s+(?!(?:Bearer|Basic)\b)[A-Za-z0-9\-._~+/=:]+/gi
const AUTH_HEADER_VALUE =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?:(?:Bearer|Basic)\s+)?[^\s"',}]+/gi
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi

/**
 * Replaces secrets in text with `[REDACTED]`: every string in `secrets` (longest first), `Bearer …`
 * / `Basic …` values, `authorization: …` values and userinfo in URLs.
 *
 * @example
 * redact('token abc123 sent to http://u:p@proxy:3128', ['abc123'])
 * // 'token [REDACTED] sent to http://[REDACTED]@proxy:3128'
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text
  const sorted = [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH)
  sorted.sort((a, b) => b.length - a.length)
  for (const secret of sorted) out = out.split(secret).join(REDACTED)
  out = out.replace(
    AUTH_HEADER_VALUE,
    (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`,
  )
  out = out.replace(AUTH_SCHEME_VALUE, (_m, scheme: string) => `${scheme} ${REDACTED}`)
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`)
  return out
}

/**
 * Removes userinfo from a URL so it can appear in messages and `describe()`.
 *
 * @example
 * redactUrl('http://user:secret@proxy.example:3128') // 'http://proxy.example:3128'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.username === '' && parsed.password === '') return url
    parsed.username = ''
    parsed.password = ''
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '')
  } catch {
    return redact(url)
  }
}

/**
 * The one place secrets are removed: every credential a connection learns (tokens, token-file
 * contents, passwords, keys, exec plugin output) is registered here, and every error the package
 * throws is built through {@link Redactor.error}, which redacts the message and the cause chain.
 */
export class Redactor {
  readonly #secrets = new Set<string>()

  add(secret: string | undefined): void {
    if (secret === undefined) return
    const trimmed = secret.trim()
    if (trimmed.length >= MIN_SECRET_LENGTH) this.#secrets.add(trimmed)
    // A PEM key shows up line by line in some OpenSSL messages.
    for (const line of trimmed.split('\n')) {
      if (line.length >= 16 && !line.startsWith('-----')) this.#secrets.add(line.trim())
    }
  }

  text(text: string): string {
    return redact(text, this.#secrets)
  }

  /** A ClusterError whose message and cause chain are redacted. */
  error(code: ClusterErrorCode, message: string, cause?: unknown): ClusterError {
    return cause === undefined
      ? new ClusterError(code, this.text(message))
      : new ClusterError(code, this.text(message), { cause: this.cause(cause) })
  }

  // Causes come from undici, node:tls, child_process…: they are rebuilt as plain errors with
  // redacted messages and stacks, keeping `code` so callers can still inspect them.
  cause(value: unknown, depth = 0): unknown {
    if (!(value instanceof Error)) return typeof value === 'string' ? this.text(value) : undefined
    if (value instanceof ClusterError) return value
    const copy = new Error(this.text(value.message))
    copy.name = value.name
    if (value.stack !== undefined) copy.stack = this.text(value.stack)
    const code = (value as { code?: unknown }).code
    if (typeof code === 'string')
      Object.defineProperty(copy, 'code', { value: code, enumerable: true })
    if (value.cause !== undefined && depth < 5) copy.cause = this.cause(value.cause, depth + 1)
    return copy
  }
}
