// Every package of the toolkit throws subclasses of this one error, so callers can branch on a
// stable `code` and never on a message. The brand is a registered symbol, so the guard works even
// when two copies of a package end up in one dependency tree (undici `lib/core/errors.js` does
// the same with `kUndiciError`).
const brand = Symbol.for('k8s-codegen.error')

/**
 * Base class of every error the toolkit throws. `code` is a stable `K8S_CODEGEN_…` literal;
 * messages name the thing and the rule that failed and never contain a secret.
 *
 * @example
 * try {
 *   parseProxySegment('a:b:c:d')
 * } catch (error) {
 *   if (isK8sCodegenError(error)) console.error(error.code) // 'K8S_CODEGEN_PROXY_SEGMENT_INVALID'
 * }
 */
export class K8sCodegenError<Code extends string = string> extends Error {
  readonly code: Code

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
    Object.defineProperty(this, brand, { value: true })
  }
}

/**
 * True for any error thrown by a `@k8s-codegen/*` package, even from another copy of it.
 *
 * @example
 * isK8sCodegenError(new Error('x')) // false
 */
export function isK8sCodegenError(value: unknown): value is K8sCodegenError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}
