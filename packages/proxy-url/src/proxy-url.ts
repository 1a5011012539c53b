// Proxy URLs of the core API: `/api/v1/namespaces/{ns}/services/{segment}/proxy/{path}`, the same
// with `pods`, and `/api/v1/nodes/{segment}/proxy/{path}` (kubernetes `pkg/registry/core/{service,
// pod,node}` ProxyREST). Everything is validated before anything is built, so a bad part gets an
// error naming it and its rule instead of a URL the apiserver refuses — or, worse, one that
// addresses another API path with the same credentials.
import { ProxyUrlError } from './errors.js'
import { quote } from './_text.js'
import { cleanProxyPath, decodeRawPath, encodeCleanPath } from './path.js'
import { parseProxySegment, type ProxyScheme } from './proxy-segment.js'
import { serializeQuery, type ProxyQuery } from './query.js'
import { isDotSegment, normalizeServer } from './server.js'
import {
  DNS1035_LABEL_RULE,
  DNS1123_LABEL_RULE,
  DNS1123_SUBDOMAIN_RULE,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIPv6Address,
  validatePathSegmentName,
} from './validation.js'

/**
 * The object behind the proxy: a service, a pod or a node.
 *
 * @example
 * const kind: ProxyKind = 'service'
 */
export type ProxyKind = 'service' | 'pod' | 'node'

/**
 * Everything a proxy URL addresses. `parseProxyUrl` returns it normalized: `port` a string,
 * `path` cleaned and decoded, `query` the raw query (what follows the URL's first `?`), absent parts left out.
 *
 * @example
 * const target: ProxyTarget = {
 *   server: 'https://rancher.example/k8s/clusters/c-1',
 *   kind: 'service',
 *   namespace: 'monitoring',
 *   name: 'grafana',
 *   scheme: 'https',
 *   port: 3000,
 *   path: 'api/health',
 *   query: { verbose: 'true' },
 * }
 */
export interface ProxyTarget {
  /** Apiserver URL: `https://1.2.3.4`, `https://[::1]:6443`, `https://rancher.example/k8s/clusters/c-1`. */
  server: string
  kind: ProxyKind
  /** Required for `service` and `pod`, forbidden for `node` (nodes are cluster-scoped). */
  namespace?: string
  name: string
  scheme?: ProxyScheme
  /** A number 1–65535 (or its decimal string), or — for services only — a port name. */
  port?: string | number
  /** Plain-text path behind `/proxy/` (not URL-encoded); may contain `/`. */
  path?: string
  /** Instead of `path`: an already percent-encoded path, decoded once and then treated the same. */
  rawPath?: string
  query?: ProxyQuery
}

/**
 * A {@link ProxyTarget} without `server`: what {@link buildProxyPath} takes.
 *
 * @example
 * const target: ProxyPathTarget = { kind: 'node', name: 'node-1', port: 10250, path: 'metrics' }
 */
export type ProxyPathTarget = Omit<ProxyTarget, 'server'>

const RESOURCE: Record<ProxyKind, string> = { service: 'services', pod: 'pods', node: 'nodes' }

/** A target after validation, every part in its canonical form. */
interface Resolved {
  server: string
  kind: ProxyKind
  namespace: string | undefined
  name: string
  scheme: ProxyScheme | undefined
  port: string | undefined
  /** Cleaned plain-text path, `''` for the proxy root. */
  path: string
  /** Raw query, what follows the URL's first `?` (Go's `RawQuery`), `''` for none. */
  query: string
}

function checkPathSegmentName(
  code: 'K8S_CODEGEN_PROXY_NAME_INVALID' | 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID',
  what: string,
  value: string,
): void {
  const problems = validatePathSegmentName(value)
  if (problems.length > 0) {
    throw new ProxyUrlError(
      code,
      `${what} ${quote(value)} is invalid: it ${problems.join(' and ')} (apimachinery IsValidPathSegmentName)`,
    )
  }
}

function checkNamespace(kind: ProxyKind, namespace: unknown): string | undefined {
  if (kind === 'node') {
    if (namespace === undefined) return undefined
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_NAMESPACE_INVALID',
      'namespace must be absent for kind "node": nodes are cluster-scoped',
    )
  }
  if (typeof namespace !== 'string' || namespace === '') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_NAMESPACE_INVALID',
      `namespace is required for kind "${kind}"${namespace === '' ? ' and must be non-empty' : ''}`,
    )
  }
  if (!isDns1123Label(namespace)) {
    checkPathSegmentName('K8S_CODEGEN_PROXY_NAMESPACE_INVALID', 'namespace', namespace)
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_NAMESPACE_INVALID',
      `namespace ${quote(namespace)} is invalid: ${DNS1123_LABEL_RULE}`,
    )
  }
  return namespace
}

function checkName(kind: ProxyKind, name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_NAME_INVALID',
      `${kind} name is required and must be a non-empty string`,
    )
  }
  // Node names may be IPv4 addresses; dotted-decimal ones are DNS-1123 subdomains already.
  if (kind === 'service' ? isDns1035Label(name) : isDns1123Subdomain(name)) return name
  checkPathSegmentName('K8S_CODEGEN_PROXY_NAME_INVALID', `${kind} name`, name)
  if (kind === 'node' && isIPv6Address(name)) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_NAME_INVALID',
      `node name ${quote(name)} is an IPv6 address, which a proxy segment cannot carry: ":" separates scheme, name and port (apimachinery SplitSchemeNamePort)`,
    )
  }
  const rule =
    kind === 'service'
      ? DNS1035_LABEL_RULE
      : kind === 'pod'
        ? DNS1123_SUBDOMAIN_RULE
        : `${DNS1123_SUBDOMAIN_RULE}; an IPv4 address like "10.0.0.1" is one`
  throw new ProxyUrlError(
    'K8S_CODEGEN_PROXY_NAME_INVALID',
    `${kind} name ${quote(name)} is invalid: ${rule}`,
  )
}

function checkScheme(scheme: unknown): ProxyScheme | undefined {
  if (scheme === undefined || scheme === 'http' || scheme === 'https') return scheme
  throw new ProxyUrlError(
    'K8S_CODEGEN_PROXY_SCHEME_INVALID',
    `scheme ${typeof scheme === 'string' ? quote(scheme) : typeof scheme} is invalid: it must be "http" or "https" (case-sensitive, apimachinery SplitSchemeNamePort)`,
  )
}

function portOutOfRange(port: string): ProxyUrlError {
  return new ProxyUrlError(
    'K8S_CODEGEN_PROXY_PORT_INVALID',
    `port ${quote(port)} is invalid: a port number must be from 1 to 65535`,
  )
}

// Only services resolve port names (kubernetes pkg/registry/core/service/storage ResourceLocation
// looks the name up in the service's ports). Pods and nodes dial `<ip>:<port>` as given (pkg/
// registry/core/pod/strategy.go and node/strategy.go ResourceLocation), so a name cannot work.
function isDigits(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x30 || code > 0x39) return false
  }
  return true
}

function checkPort(kind: ProxyKind, port: unknown): string | undefined {
  if (port === undefined) return undefined
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return String(port)
    throw portOutOfRange(String(port))
  }
  if (typeof port !== 'string') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PORT_INVALID',
      `port must be a number or a string, got ${typeof port}`,
    )
  }
  if (port === '') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PORT_INVALID',
      'port must be non-empty; leave it out to use the default port',
    )
  }
  if (isDigits(port)) {
    const value = port.length <= 5 ? Number(port) : 0
    if (value < 1 || value > 65535) throw portOutOfRange(port)
    return String(value)
  }
  if (kind !== 'service') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PORT_INVALID',
      `port ${quote(port)} is invalid for a ${kind}: ${kind}s take numeric ports only, the apiserver does not resolve named ports for them`,
    )
  }
  if (!isDns1123Label(port)) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PORT_INVALID',
      `service port name ${quote(port)} is invalid: ${DNS1123_LABEL_RULE}`,
    )
  }
  return port
}

function checkPath(path: unknown, rawPath: unknown): string {
  if (path !== undefined && rawPath !== undefined) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PATH_INVALID',
      'give either path (plain text) or rawPath (percent-encoded), not both',
    )
  }
  if (rawPath !== undefined) {
    if (typeof rawPath !== 'string') {
      throw new ProxyUrlError(
        'K8S_CODEGEN_PROXY_PATH_INVALID',
        `rawPath must be a string, got ${typeof rawPath}`,
      )
    }
    return cleanProxyPath(decodeRawPath(rawPath))
  }
  if (path === undefined) return ''
  if (typeof path !== 'string') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PATH_INVALID',
      `path must be a string, got ${typeof path}`,
    )
  }
  return cleanProxyPath(path)
}

function resolveParts(target: ProxyPathTarget): Omit<Resolved, 'server'> {
  if (typeof target !== 'object' || target === null) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_URL_INVALID',
      `proxy target must be an object, got ${target === null ? 'null' : typeof target}`,
    )
  }
  const kind: unknown = target.kind
  if (kind !== 'service' && kind !== 'pod' && kind !== 'node') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_KIND_INVALID',
      `kind ${typeof kind === 'string' ? quote(kind) : typeof kind} is invalid: it must be "service", "pod" or "node"`,
    )
  }
  return {
    kind,
    namespace: checkNamespace(kind, target.namespace),
    name: checkName(kind, target.name),
    scheme: checkScheme(target.scheme),
    port: checkPort(kind, target.port),
    path: checkPath(target.path, target.rawPath),
    query: target.query === undefined ? '' : serializeQuery(target.query),
  }
}

function resolve(target: ProxyTarget): Resolved {
  const parts = resolveParts(target)
  return { server: normalizeServer(target.server), ...parts }
}

// The server-relative part of a proxy URL: `/api/v1/…/proxy/<path>[?query]`.
function formatPath(resolved: Omit<Resolved, 'server'>): string {
  const segment =
    resolved.scheme !== undefined
      ? `${resolved.scheme}:${resolved.name}:${resolved.port ?? ''}`
      : resolved.port !== undefined
        ? `${resolved.name}:${resolved.port}`
        : resolved.name
  const scope =
    resolved.namespace === undefined ? '/api/v1/' : `/api/v1/namespaces/${resolved.namespace}/`
  const path = resolved.path === '' ? '' : encodeCleanPath(resolved.path)
  const url = `${scope}${RESOURCE[resolved.kind]}/${segment}/proxy/${path}`
  return resolved.query === '' ? url : `${url}?${resolved.query}`
}

function toTarget(resolved: Resolved): ProxyTarget {
  const { server, kind, namespace, name } = resolved
  const target: ProxyTarget =
    namespace === undefined ? { server, kind, name } : { server, kind, namespace, name }
  if (resolved.scheme !== undefined) target.scheme = resolved.scheme
  if (resolved.port !== undefined) target.port = resolved.port
  if (resolved.path !== '') target.path = resolved.path
  if (resolved.query !== '') target.query = resolved.query
  return target
}

/**
 * Builds the apiserver proxy URL of `target` after validating every part (see the package
 * README for the rules). The proxied `path` is plain text: `.`/`..` resolve and clamp at the
 * proxy root like the apiserver's `path.Join`, and each segment is percent-encoded, so the URL,
 * read by any URL parser, never addresses anything outside `…/proxy/`. Without a path the URL
 * ends in `/proxy/`. Throws {@link ProxyUrlError}.
 *
 * @example
 * buildProxyUrl({
 *   server: 'https://10.0.0.1:6443/',
 *   kind: 'service',
 *   namespace: 'default',
 *   name: 'web',
 *   scheme: 'https',
 *   port: 8443,
 *   path: '../../secrets',
 *   query: { watch: 'true' },
 * })
 * // 'https://10.0.0.1:6443/api/v1/namespaces/default/services/https:web:8443/proxy/secrets?watch=true'
 */
export function buildProxyUrl(target: ProxyTarget): string {
  const resolved = resolve(target)
  return `${resolved.server}${formatPath(resolved)}`
}

/**
 * The server-relative proxy path of `target` (no `server`): the same validation, clamping and
 * encoding as {@link buildProxyUrl}, which is this path appended to the normalized server. Generated
 * resource descriptors' `proxyPath()` call it, so there is one implementation of the rules.
 * Throws {@link ProxyUrlError}.
 *
 * @example
 * buildProxyPath({ kind: 'service', namespace: 'prod', name: 'web', path: '../../../secrets/db-password' })
 * // '/api/v1/namespaces/prod/services/web/proxy/secrets/db-password'
 */
export function buildProxyPath(target: ProxyPathTarget): string {
  return formatPath(resolveParts(target))
}

/**
 * `target` validated and in the canonical form `parseProxyUrl` returns: server normalized, port a
 * decimal string, path cleaned (no leading `/`, absent for the root), `rawPath` decoded into
 * `path`, query serialized; absent parts left out. `parseProxyUrl(buildProxyUrl(t))` equals
 * `normalizeProxyTarget(t)`. Throws {@link ProxyUrlError} like `buildProxyUrl`.
 *
 * @example
 * normalizeProxyTarget({ server: 'HTTPS://Example.com/', kind: 'pod', namespace: 'ns', name: 'p', port: 80, path: '/a/./b/' })
 * // { server: 'https://example.com', kind: 'pod', namespace: 'ns', name: 'p', port: '80', path: 'a/b/' }
 */
export function normalizeProxyTarget(target: ProxyTarget): ProxyTarget {
  return toTarget(resolve(target))
}

const PROXY_ROUTE = /^(?:namespaces\/([^/]+)\/(services|pods)|(nodes))\/([^/]+)\/proxy(?:\/|$)/

function notProxyUrl(url: string, rule: string): ProxyUrlError {
  return new ProxyUrlError(
    'K8S_CODEGEN_PROXY_URL_INVALID',
    `URL ${quote(url.replace(/\/\/[^/?#]*@/, '//***@'))} is not a proxy URL: ${rule}`,
  )
}

function decodePart(url: string, part: string, what: string): string {
  if (!part.includes('%')) return part
  try {
    return decodeURIComponent(part)
  } catch (cause) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_URL_INVALID',
      `URL ${quote(url.replace(/\/\/[^/?#]*@/, '//***@'))} has malformed percent-encoding in its ${what}`,
      { cause },
    )
  }
}

/**
 * Reads a proxy URL back into its target (the inverse of {@link buildProxyUrl}): server with its
 * path prefix, kind, namespace, segment parts (a `%3A`-encoded `:` is accepted too), the decoded
 * and cleaned path, and the raw query: everything after the first `?`, a second `?` included, as
 * Go's `url.Parse` keeps it in `RawQuery` and the apiserver forwards it. The result is validated like `buildProxyUrl`'s input
 * and returned in normalized form. URLs with whitespace, backslashes, dot segments (which a URL
 * client resolves before sending) or a fragment are refused. Throws {@link ProxyUrlError}.
 *
 * @example
 * parseProxyUrl('https://10.0.0.1/api/v1/namespaces/default/pods/web-0:8080/proxy/metrics?x=1')
 * // { server: 'https://10.0.0.1', kind: 'pod', namespace: 'default', name: 'web-0', port: '8080', path: 'metrics', query: 'x=1' }
 */
export function parseProxyUrl(url: string): ProxyTarget {
  if (typeof url !== 'string') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_URL_INVALID',
      `URL must be a string, got ${typeof url}`,
    )
  }
  for (let index = 0; index < url.length; index++) {
    const code = url.charCodeAt(index)
    if (code <= 0x20 || code === 0x7f || code === 0x5c) {
      throw notProxyUrl(
        url,
        'it contains whitespace, control characters or "\\"; percent-encode them',
      )
    }
    if (code === 0x23) throw notProxyUrl(url, 'it has a fragment ("#")')
  }
  const questionMark = url.indexOf('?')
  const beforeQuery = questionMark === -1 ? url : url.slice(0, questionMark)
  const schemeEnd = beforeQuery.indexOf('://')
  const pathStart = schemeEnd === -1 ? -1 : beforeQuery.indexOf('/', schemeEnd + 3)
  if (pathStart === -1) throw notProxyUrl(url, 'it must be an absolute http(s) URL with a path')
  const path = beforeQuery.slice(pathStart)
  if ((path.includes('.') || path.includes('%')) && path.split('/').some(isDotSegment)) {
    throw notProxyUrl(
      url,
      'its path has a "." or ".." segment, which URL clients resolve before sending',
    )
  }

  for (let at = path.indexOf('/api/v1/'); at !== -1; at = path.indexOf('/api/v1/', at + 1)) {
    const route = PROXY_ROUTE.exec(path.slice(at + 8))
    if (route === null) continue
    const [matched, namespace, resource, nodes, segment] = route
    const kind: ProxyKind = nodes !== undefined ? 'node' : resource === 'pods' ? 'pod' : 'service'
    const parts = parseProxySegment(decodePart(url, segment ?? '', 'proxy segment'))
    const target: ProxyTarget = {
      server: beforeQuery.slice(0, pathStart + at),
      kind,
      name: parts.name,
    }
    if (namespace !== undefined) target.namespace = decodePart(url, namespace, 'namespace')
    if (parts.scheme !== undefined) target.scheme = parts.scheme
    if (parts.port !== undefined) target.port = parts.port
    const rest = path.slice(at + 8 + matched.length)
    if (rest !== '') target.path = decodePart(url, rest, 'proxied path')
    if (questionMark !== -1) target.query = url.slice(questionMark + 1)
    return normalizeProxyTarget(target)
  }
  throw notProxyUrl(
    url,
    'expected <server>/api/v1/namespaces/<namespace>/services/<segment>/proxy/…, the same with pods, or <server>/api/v1/nodes/<segment>/proxy/…',
  )
}
