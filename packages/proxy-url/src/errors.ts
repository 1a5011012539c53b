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

/**
 * Stable codes of {@link ProxyUrlError}; the package README has the table of what each means.
 *
 * @example
 * const code: ProxyUrlErrorCode = 'K8S_CODEGEN_PROXY_PORT_INVALID'
 */
export type ProxyUrlErrorCode =
  /** A `scheme:name:port` segment that `SplitSchemeNamePort` rejects, or parts that cannot be joined. */
  | 'K8S_CODEGEN_PROXY_SEGMENT_INVALID'
  /** `server` is not an http(s) URL, or carries user-info, a query or a fragment. */
  | 'K8S_CODEGEN_PROXY_SERVER_INVALID'
  /** `kind` is not `service`, `pod` or `node`. */
  | 'K8S_CODEGEN_PROXY_KIND_INVALID'
  /** Namespace missing (service, pod), present (node) or not a DNS-1123 label. */
  | 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID'
  /** Name breaks the rule of its kind (DNS-1035 label, DNS-1123 subdomain, IP) or path-segment rules. */
  | 'K8S_CODEGEN_PROXY_NAME_INVALID'
  /** `scheme` is not `http` or `https`. */
  | 'K8S_CODEGEN_PROXY_SCHEME_INVALID'
  /** Port out of 1–65535, a bad port name, or a named port for a pod or node. */
  | 'K8S_CODEGEN_PROXY_PORT_INVALID'
  /** Both `path` and `rawPath`, malformed percent-encoding in `rawPath`, or a lone UTF-16 surrogate. */
  | 'K8S_CODEGEN_PROXY_PATH_INVALID'
  /** A query with a `#`, a stray `%`, a non-string value or a lone UTF-16 surrogate. */
  | 'K8S_CODEGEN_PROXY_QUERY_INVALID'
  /** A `dryRun` query parameter: the apiserver answers 400 for it on proxy requests. */
  | 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED'
  /** `parseProxyUrl` got a URL that is not a service, pod or node proxy URL. */
  | 'K8S_CODEGEN_PROXY_URL_INVALID'

/**
 * Thrown by every function of `@k8s-codegen/proxy-url` for bad input. The message names the part
 * (segment, server, namespace, name, port, path, query) and the rule; it never repeats user-info.
 *
 * @example
 * try {
 *   buildProxyUrl({ server: 'https://10.0.0.1', kind: 'node', name: 'n1', port: 'metrics' })
 * } catch (error) {
 *   if (error instanceof ProxyUrlError) error.code // 'K8S_CODEGEN_PROXY_PORT_INVALID'
 * }
 */
export class ProxyUrlError extends K8sCodegenError<ProxyUrlErrorCode> {}
