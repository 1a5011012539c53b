// `…/services/{segment}/proxy/{path}`, and the same for pods and nodes: resolution as
// kubernetes `pkg/registry/core/service/storage/storage.go` ResourceLocation,
// `pkg/registry/core/pod/strategy.go` ResourceLocation and `pkg/registry/core/node/strategy.go`
// ResourceLocation do it (the segment split by apimachinery SplitSchemeNamePort — one
// implementation, `@k8s-codegen/proxy-url` parseProxySegment), then forwarding as
// `pkg/registry/core/service/proxy.go` ProxyREST.Connect and apimachinery
// `pkg/util/proxy/upgradeaware.go` + `transport.go` do: the path joined with
// JoinPreservingTrailingSlash, the raw query passed through, a 301 to `…/proxy/` for an empty
// path, `X-Forwarded-Uri`/`X-Forwarded-For`, `Location` rewritten back under the proxy path,
// and 503 `error trying to reach service` when the backend is down.
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { posix } from 'node:path'
import { parseProxySegment, type ProxySegment } from '@k8s-codegen/proxy-url'
import { isJsonObject, scalarText } from './_json.js'
import type { Exchange } from './_exchange.js'
import type { Registry } from './registry.js'
import type { ResourceCatalog, ResourceInfo } from './resource-catalog.js'
import type { ResourcePath } from './rest-handler.js'
import { ApiStatusError, badRequest, notFound } from './status-errors.js'

/** Where a resolved backend address is really dialled: `'10.0.0.5:8080'` → a local port. */
export type BackendMap = Record<string, number>

function serviceUnavailable(message: string): ApiStatusError {
  return new ApiStatusError(503, 'ServiceUnavailable', message)
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip)
}

// Go net.IP.IsGlobalUnicast: not unspecified, loopback, link-local, multicast or broadcast.
function isGlobalUnicast(ip: string): boolean {
  if (isIP(ip) === 0) return false
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number)
    return !(a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224)
  }
  const lower = ip.toLowerCase()
  return !(lower === '::' || lower === '::1' || lower.startsWith('fe8') || lower.startsWith('ff'))
}

interface Location {
  scheme: 'http' | 'https'
  host: string
  port: string
}

function segmentOf(name: string, what: string): ProxySegment {
  try {
    return parseProxySegment(name)
  } catch {
    throw badRequest(`invalid ${what} request ${JSON.stringify(name)}`)
  }
}

function get(object: unknown, ...path: string[]): unknown {
  let node = object
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined
  return node
}

function resolveService(
  registry: Registry,
  catalog: ResourceCatalog,
  info: ResourceInfo,
  namespace: string,
  id: string,
): Location {
  const segment = segmentOf(id, 'service')
  let portName = segment.port ?? ''
  const svc = registry.getOrThrow(info, namespace, segment.name)
  if (/^-?\d+$/.test(portName)) {
    const number = Number(portName)
    const ports = get(svc, 'spec', 'ports')
    const found: unknown = Array.isArray(ports)
      ? ports.find((p) => get(p, 'port') === number)
      : undefined
    if (found === undefined)
      throw serviceUnavailable(
        `no service port ${number} found for service ${JSON.stringify(segment.name)}`,
      )
    const name = get(found, 'name')
    portName = typeof name === 'string' ? name : ''
  }
  const endpointsInfo = catalog.get('', 'v1', 'endpoints')
  const eps =
    endpointsInfo === undefined
      ? undefined
      : registry.store.get('/endpoints', namespace, segment.name)
  if (endpointsInfo === undefined || eps === undefined) {
    throw notFound({ group: '', resource: 'endpoints' }, segment.name)
  }
  const subsets = get(eps, 'subsets')
  if (!Array.isArray(subsets) || subsets.length === 0) {
    throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(segment.name)}`)
  }
  for (const subset of subsets) {
    const addresses = get(subset, 'addresses')
    const ports = get(subset, 'ports')
    if (!Array.isArray(addresses) || addresses.length === 0 || !Array.isArray(ports)) continue
    for (const port of ports) {
      if ((get(port, 'name') ?? '') !== portName) continue
      for (const address of addresses) {
        // "We only proxy to addresses that are actually pods" (isValidAddress): a targetRef
        // must name an existing pod with that IP. Addresses without one are accepted here.
        const ip = scalarText(get(address, 'ip'))
        const ref = get(address, 'targetRef')
        if (isJsonObject(ref) && ref['kind'] === 'Pod') {
          const pod = registry.store.get(
            '/pods',
            scalarText(ref['namespace'] ?? namespace),
            scalarText(ref['name']),
          )
          if (pod === undefined || get(pod, 'status', 'podIP') !== ip) continue
        }
        return { scheme: segment.scheme ?? 'http', host: ip, port: scalarText(get(port, 'port')) }
      }
    }
  }
  throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(id)}`)
}

function resolvePod(
  registry: Registry,
  info: ResourceInfo,
  namespace: string,
  id: string,
): Location {
  const segment = segmentOf(id, 'pod')
  const pod = registry.getOrThrow(info, namespace, segment.name)
  let port = segment.port ?? ''
  if (port === '') {
    const containers = get(pod, 'spec', 'containers')
    for (const container of Array.isArray(containers) ? containers : []) {
      const ports = get(container, 'ports')
      if (Array.isArray(ports) && ports.length > 0) {
        port = scalarText(get(ports[0], 'containerPort'))
        break
      }
    }
  }
  const ip = scalarText(get(pod, 'status', 'podIP'))
  if (!isGlobalUnicast(ip)) throw badRequest('address not allowed')
  return { scheme: segment.scheme ?? 'http', host: ip, port }
}

function resolveNode(registry: Registry, info: ResourceInfo, id: string): Location {
  const segment = segmentOf(id, 'node')
  const node = registry.getOrThrow(info, '', segment.name)
  const addresses = get(node, 'status', 'addresses')
  const list: unknown[] = Array.isArray(addresses) ? addresses : []
  // The kubelet's preferred address types (InternalIP, ExternalIP, Hostname), in that order.
  let host = ''
  for (const type of ['InternalIP', 'ExternalIP', 'Hostname']) {
    const found: unknown = list.find((a) => get(a, 'type') === type)
    if (found !== undefined) {
      host = scalarText(get(found, 'address'))
      break
    }
  }
  if (host === '') throw badRequest(`no preferred addresses found; known addresses: []`)
  const kubelet =
    scalarText(get(node, 'status', 'daemonEndpoints', 'kubeletEndpoint', 'Port')) || '10250'
  const port = segment.port ?? kubelet
  const scheme = segment.scheme ?? (port === kubelet ? 'https' : 'http')
  return { scheme, host, port }
}

// Go url.URL.EscapedPath of a path without RawPath: `shouldEscape(c, encodePath)`.
function escapePath(path: string): string {
  return [...Buffer.from(path, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      return /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)
        ? c
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

// Go url.PathUnescape (percent-decoding only; `+` stays).
function unescapePath(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw badRequest(`invalid URL escape in ${JSON.stringify(raw)}`)
  }
}

// apimachinery `pkg/util/net/http.go` JoinPreservingTrailingSlash: path.Join, trailing `/` kept.
function joinPreservingTrailingSlash(elem: string): string {
  if (elem === '') return ''
  const joined = posix.normalize(`/${elem}`).replace(/\/+$/, '') || '/'
  return elem.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined
}

const hopByHop = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** Forwards one proxy request to the resolved backend. */
export async function serveProxy(
  exchange: Exchange,
  registry: Registry,
  catalog: ResourceCatalog,
  info: ResourceInfo,
  path: ResourcePath,
  backends: BackendMap,
): Promise<void> {
  const { req } = exchange
  const namespace = path.namespace ?? ''
  const id = path.name ?? ''
  let location: Location
  if (info.group === '' && info.resource === 'services')
    location = resolveService(registry, catalog, info, namespace, id)
  else if (info.group === '' && info.resource === 'pods')
    location = resolvePod(registry, info, namespace, id)
  else if (info.group === '' && info.resource === 'nodes')
    location = resolveNode(registry, info, id)
  else throw notFound(info, id)

  const raw = req.url ?? ''
  const rawQuery = raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : ''
  const locationPath = joinPreservingTrailingSlash(unescapePath(path.rest))
  const requestPath = exchange.routePath
  // upgradeaware.go proxyRedirectsforRootPath: GET/HEAD of `…/proxy` → 301 to `…/proxy/`.
  if (locationPath === '' && (req.method === 'GET' || req.method === 'HEAD')) {
    const fullPath = (req.url ?? '').split('?')[0] ?? ''
    exchange.respond(
      301,
      { Location: `${fullPath}/${rawQuery === '' ? '' : `?${rawQuery}`}` },
      Buffer.alloc(0),
      exchange.matched,
    )
    return
  }
  let outPath = locationPath === '' ? '/' : locationPath
  if (!outPath.endsWith('/') && requestPath.endsWith('/')) outPath += '/'

  const dialKey = `${location.host.includes(':') ? `[${location.host}]` : location.host}:${location.port}`
  const mapped = backends[dialKey]
  let dialHost = location.host
  let dialPort = Number(
    location.port === '' ? (location.scheme === 'https' ? 443 : 80) : location.port,
  )
  if (mapped !== undefined) {
    dialHost = '127.0.0.1'
    dialPort = mapped
  } else if (!isLoopback(location.host)) {
    // Never dial outside this machine: only loopback addresses or mapped ones.
    throw serviceUnavailable(
      `error trying to reach service: dial tcp ${dialKey}: the emulator only reaches 127.0.0.1 or addresses in its backends map`,
    )
  }

  // transport.go: X-Forwarded-Uri is the request path as the apiserver received it.
  const suffix = requestPath.endsWith('/') && !outPath.endsWith('/') ? `${outPath}/` : outPath
  // Go compares the decoded request path (req.URL.Path) with the decoded location path.
  const decodedRequestPath = unescapePath(requestPath)
  const pathPrepend = decodedRequestPath.endsWith(suffix)
    ? decodedRequestPath.slice(0, decodedRequestPath.length - suffix.length)
    : decodedRequestPath
  let forwardedUri = posix.join(pathPrepend, escapePath(outPath))
  if (outPath.endsWith('/') && !forwardedUri.endsWith('/')) forwardedUri += '/'
  const headers: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || hopByHop.has(name)) continue
    // The authentication filter deletes Authorization once it has authenticated the request.
    if (name === 'authorization') continue
    headers[name] = value
  }
  headers['x-forwarded-uri'] = forwardedUri
  const clientIp = req.socket.remoteAddress ?? ''
  const prior = req.headers['x-forwarded-for']
  headers['x-forwarded-for'] = prior === undefined ? clientIp : `${String(prior)}, ${clientIp}`

  const target = `${escapePath(outPath)}${rawQuery === '' ? '' : `?${rawQuery}`}`
  await new Promise<void>((resolve) => {
    const send = location.scheme === 'https' ? httpsRequest : httpRequest
    const upstream = send(
      {
        host: dialHost,
        port: dialPort,
        method: req.method ?? 'GET',
        path: target,
        headers,
        rejectUnauthorized: false,
        timeout: 30_000,
      },
      (response) => {
        const head = responseHeaders(response.headers, {
          pathPrepend,
          sourceHost: `${location.host}:${location.port}`,
          requestHost: req.headers.host ?? '',
        })
        const res = exchange.stream(response.statusCode ?? 502, head)
        response.pipe(res)
        response.on('end', () => resolve())
        response.on('error', () => {
          res.destroy()
          resolve()
        })
      },
    )
    upstream.on('timeout', () => upstream.destroy(new Error('i/o timeout')))
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ECONNREFUSED' ? 'connect: connection refused' : error.message
      const status = serviceUnavailable(
        `error trying to reach service: dial tcp ${dialKey}: ${why}`,
      )
      exchange.respond(
        503,
        { ...exchange.cacheControl, 'Content-Type': 'application/json' },
        Buffer.from(JSON.stringify(status.toStatus()) + '\n'),
        exchange.matched,
      )
      resolve()
    })
    req.pipe(upstream)
  })
}

// transport.go rewriteURL: a redirect to the backend itself goes back under the proxy path.
function responseHeaders(
  headers: IncomingHttpHeaders,
  context: { pathPrepend: string; sourceHost: string; requestHost: string },
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name)) continue
    out[name] = value
  }
  const location = headers.location
  if (typeof location === 'string') out['location'] = rewriteLocation(location, context)
  return out
}

function rewriteLocation(
  target: string,
  context: { pathPrepend: string; sourceHost: string; requestHost: string },
): string {
  let url: URL
  let absolute = true
  try {
    url = new URL(target)
  } catch {
    absolute = false
    url = new URL(target, 'http://relative.invalid')
  }
  const host = absolute ? url.host : ''
  const differentHost = host !== '' && host !== context.sourceHost && host !== context.requestHost
  const relative = !absolute && !target.startsWith('/')
  if (differentHost || relative) return target
  const original = url.pathname
  let path = original.startsWith(context.pathPrepend)
    ? original
    : posix.join(context.pathPrepend, original)
  if (original.endsWith('/') && !path.endsWith('/')) path += '/'
  // The Transport has no scheme or host (the apiserver's request URL has none): a path only.
  return `${path}${url.search}${url.hash}`
}
