import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { statusBody } from './_http.js'
import { internalError } from './status-errors.js'
import { notFoundText, textHeaders, type Exchange, type Respond } from './_exchange.js'
import { authenticate, type AuthConfig } from './auth.js'
import type { Certificates } from './certificates.js'
import { notFoundStatus, serveDiscovery } from './discovery-handler.js'
import { TestkitError } from './errors.js'
import { injectedStatusBody, writeWithFault, type FaultTable } from './faults.js'
import { serveHealth, type HealthCheck } from './health.js'
import { indentJson, wantsPrettyJson } from './pretty-json.js'
import { serveOpenApiV2 } from './openapi-v2.js'
import { serveOpenApiV3 } from './openapi-v3.js'
import type { VersionInfo } from './profile.js'
import { serveResource, type ResourceContext } from './rest-handler.js'
import { boundObjectLookup } from './token-request.js'
import type { SpecRegistry } from './spec-registry.js'

/**
 * One request the server received. Never holds the Authorization value.
 *
 * @example
 * expect(server.requests.map((r) => `${r.status} ${r.path}${r.query}`)).toContain('200 /openapi/v3')
 */
export interface RequestLogEntry {
  method: string
  /** As received, including the prefix, without the query. */
  path: string
  /** `''` or `'?…'`. */
  query: string
  status: number
  /** accept, accept-encoding, if-none-match, user-agent, content-type when sent. */
  headers: Record<string, string>
}

/** Everything the HTTP server routes requests to. */
export interface ServerConfig {
  host: string
  port: number
  prefix: string
  certificates: Certificates | undefined
  auth: AuthConfig
  faults: FaultTable
  specs: SpecRegistry
  version: VersionInfo
  rootEtag: boolean
  requests: RequestLogEntry[]
  onRequest: ((entry: RequestLogEntry) => void) | undefined
  /** Storage, watch and proxy of the served resources. */
  resources: ResourceContext
}

/** A listening server: its `host:port` as clients write it, and how to stop it. */
export interface RunningServer {
  serverAddress: string
  close(): Promise<void>
}

const loggedHeaders = ['accept', 'accept-encoding', 'if-none-match', 'user-agent', 'content-type']

/** Listens and serves until `close()`: authentication, faults, then the route handlers. */
export async function listen(config: ServerConfig): Promise<RunningServer> {
  const { prefix, faults, specs, requests, certificates } = config
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let closed = false
  let serverAddress = ''
  const healthChecks: HealthCheck[] = [{ name: 'ping', failure: () => undefined }]
  const readinessChecks: HealthCheck[] = [
    { name: 'shutdown', failure: () => (closed ? 'process is shutting down' : undefined) },
  ]

  function later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })
  }

  function reset(res: ServerResponse): void {
    const socket = res.socket
    if (socket === null) return
    // A TLS socket cannot send an RST itself; the TCP socket underneath it (the one the
    // server saw on 'connection', same remote endpoint) can.
    const tcp = [...sockets].find(
      (s) => s.remotePort === socket.remotePort && s.remoteAddress === socket.remoteAddress,
    )
    if (tcp === undefined) socket.destroy()
    else tcp.resetAndDestroy()
  }
  const faultWriter = { later, reset, isClosed: () => closed }
  const lookup = boundObjectLookup(config.resources)

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      // Whatever the emulator did not foresee (a value too deep for a recursive walk…) is still
      // an apiserver answer: a 500 Status, as responsewriters.ErrorNegotiated writes
      // NewInternalError.
      if (!res.headersSent) {
        const status = internalError((error as Error).message).toStatus()
        res.writeHead(500, {
          'Cache-Control': 'no-cache, private',
          'Content-Type': 'application/json',
        })
        res.end(JSON.stringify(status) + '\n')
      } else {
        res.destroy()
      }
    })
  }

  const server: Server =
    certificates === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          {
            cert: certificates.server.certPem,
            key: certificates.server.keyPem,
            ca: [certificates.ca.certPem],
            // The apiserver asks for a client certificate but accepts connections without one
            // (authentication falls through to tokens/anonymous): apiserver
            // `pkg/server/secure_serving.go` uses tls.RequestClientCert when a client CA is set.
            requestCert: config.auth.clientCert,
            rejectUnauthorized: false,
          },
          handler,
        )
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/'
    const queryStart = raw.indexOf('?')
    const path = queryStart === -1 ? raw : raw.slice(0, queryStart)
    const query = queryStart === -1 ? '' : raw.slice(queryStart)
    const headers: Record<string, string> = {}
    for (const name of loggedHeaders) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const log: RequestLogEntry = { method: req.method ?? 'GET', path, query, status: 0, headers }
    requests.push(log)
    const search = new URLSearchParams(query)

    // The serializer's pretty JSON for curl and browsers (pretty-json.ts); kube-openapi serves
    // its documents as they are.
    const pretty = wantsPrettyJson(search, req.headers['user-agent']) && !path.includes('/openapi/')

    // Every response passes through here so the log records its status.
    const respond: Respond = (status, head, given, matched) => {
      log.status = status
      config.onRequest?.(log)
      const body =
        pretty && String(head['Content-Type']).startsWith('application/json') && given.length > 0
          ? Buffer.from(indentJson(given.toString('utf8')))
          : given
      const noBody = req.method === 'HEAD' || status === 304 || status === 204
      if (noBody || body.length === 0 || matched?.body === undefined) {
        res.writeHead(status, head)
        res.end(noBody ? undefined : body)
        return
      }
      writeWithFault(res, status, head, body, matched.body, faultWriter)
    }

    // A front proxy owns the space outside its prefix (Go net/http `NotFound`).
    let routePath = path
    if (prefix !== '') {
      if (path !== prefix && !path.startsWith(prefix + '/')) {
        respond(404, textHeaders(), Buffer.from('404 page not found\n'))
        return
      }
      routePath = path.slice(prefix.length) || '/'
    }

    // apiserver `pkg/endpoints/filters/cachecontrol.go` WithCacheControl: every response carries
    // `Cache-Control: no-cache, private` unless a handler sets its own.
    const cacheControl = { 'Cache-Control': 'no-cache, private' }

    const user = authenticate(req, config.auth, (token) =>
      config.resources.serviceAccountTokens.authenticate(token, lookup),
    )
    if (user === undefined) {
      // apiserver `pkg/endpoints/handlers/responsewriters/errors.go` via
      // `pkg/endpoints/filters/authentication.go` Unauthorized: a Status with reason Unauthorized.
      respond(
        401,
        { ...cacheControl, 'Content-Type': 'application/json' },
        statusBody(401, 'Unauthorized', 'Unauthorized'),
      )
      return
    }

    const matched = faults.match(routePath)
    if (matched.latencyMs > 0) await later(matched.latencyMs)
    if (closed) {
      res.destroy()
      return
    }
    if (matched.status !== undefined) {
      const { status, retryAfter } = matched.status
      const head: OutgoingHttpHeaders = { ...cacheControl, 'Content-Type': 'application/json' }
      if (retryAfter !== undefined) head['Retry-After'] = String(retryAfter)
      respond(status, head, injectedStatusBody(status, retryAfter), matched)
      return
    }

    const exchange: Exchange = {
      req,
      user,
      routePath,
      search,
      respond,
      matched,
      cacheControl,
      stream(status, head) {
        log.status = status
        config.onRequest?.(log)
        res.writeHead(status, head)
        // Send the head now, as the apiserver's watch handler flushes before the first event:
        // clients wait for it before they start reading.
        res.flushHeaders()
        return res
      },
    }
    const trimmed = routePath.length > 1 ? routePath.replace(/\/$/, '') : routePath
    const read = req.method === 'GET' || req.method === 'HEAD'
    if (read && serveHealth(exchange, routePath, healthChecks, readinessChecks)) return
    if (
      read &&
      serveDiscovery(exchange, trimmed, specs, { version: config.version, serverAddress })
    )
      return
    if (await serveResource(exchange, config.resources)) return

    if (!read) {
      respond(
        405,
        { ...cacheControl, 'Content-Type': 'application/json' },
        statusBody(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        ),
      )
      return
    }
    if (routePath === '/openapi/v2') {
      serveOpenApiV2(exchange, specs)
      return
    }
    if (routePath === '/openapi/v3' || routePath.startsWith('/openapi/v3/')) {
      serveOpenApiV3(exchange, specs, { rootEtag: config.rootEtag })
      return
    }
    // Under a group no one serves: Go's text 404 (SpecRegistry.servesGroup).
    const group = /^\/apis\/([^/]+)/.exec(trimmed)?.[1]
    const served = group === undefined || specs.servesGroup(group)
    if (served && (trimmed.startsWith('/api/') || trimmed.startsWith('/apis/')))
      notFoundStatus(exchange)
    else notFoundText(exchange)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new TestkitError(
          'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
          `cannot listen on ${config.host}:${config.port}: ${error.message}`,
          { cause: error },
        ),
      ),
    )
    server.listen(config.port, config.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const hostInUrl =
    address.family === 'IPv6' || config.host.includes(':') ? `[${address.address}]` : config.host
  serverAddress = `${hostInUrl}:${address.port}`

  return {
    serverAddress,
    async close() {
      if (closed) return
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}
