import { createHash } from 'node:crypto'

/**
 * Uppercase hex SHA-512 of `bytes`: the form kube-openapi uses for the `hash` of each
 * `/openapi/v3` entry and for ETags (kube-openapi `pkg/handler3/handler.go` `computeETag`,
 * `pkg/handler/handler.go` `computeETag`, both `fmt.Sprintf("%X", sha512.Sum512(data))`).
 *
 * @example
 * sha512Hex(new TextEncoder().encode('')) // 'CF83E135…927DA3E'
 */
export function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase()
}

const hashPattern = /^[0-9A-F]{128}$/

/**
 * True for an uppercase hex SHA-512, the only hash form accepted as a cache key.
 *
 * @example
 * isSha512Hex('A'.repeat(128)) // true
 * isSha512Hex('../etc/passwd') // false
 */
export function isSha512Hex(value: unknown): value is string {
  return typeof value === 'string' && hashPattern.test(value)
}
