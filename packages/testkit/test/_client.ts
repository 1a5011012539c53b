import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect as netConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { ApiServer } from '../src/index.js'

/** What a request needs of a server: the emulator's `ApiServer`, or a real kube-apiserver's. */
export type Target = Pick<ApiServer, 'url' | 'caPem' | 'token'> &
  Partial<Pick<ApiServer, 'clientCert'>>

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

export interface GetOptions {
  headers?: Record<string, string>
  /** Default: the server's token; `null` sends no Authorization header. */
  token?: string | null | undefined
  clientCert?: { certPem: string; keyPem: string } | undefined
  /** Path relative to the server origin (the prefix is NOT added). Default: url + path. */
  absolute?: boolean
  /** Default GET. */
  method?: string
  /** A request body; objects are sent as JSON (with `Content-Type: application/json` unless set). */
  body?: string | Buffer | object
}

/** A raw GET against the emulator: no redirects followed, no content decoding. */
export function get(server: Target, path: string, options: GetOptions = {}): Promise<RawResponse> {
  const base = new URL(server.url)
  const target = new URL(
    options.absolute === true ? path : base.pathname.replace(/\/$/, '') + path,
    base.origin,
  )
  const headers: Record<string, string> = { ...options.headers }
  let payload: string | Buffer | undefined
  if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) payload = options.body
  else if (options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  // Node sends a DELETE body without Content-Length or chunking unless told its length; a real
  // kube-apiserver then reads no body at all.
  if (payload !== undefined) headers['content-length'] ??= String(Buffer.byteLength(payload))
  const token = options.token === undefined ? server.token : options.token
  if (token !== null && token !== undefined) headers['authorization'] = `Bearer ${token}`
  return new Promise((resolve, reject) => {
    const callback = (res: IncomingMessage): void => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    }
    const req =
      target.protocol === 'https:'
        ? httpsRequest(
            target,
            {
              headers,
              method: options.method ?? 'GET',
              ca: server.caPem,
              agent: false,
              ...(options.clientCert === undefined
                ? {}
                : { cert: options.clientCert.certPem, key: options.clientCert.keyPem }),
            },
            callback,
          )
        : httpRequest(target, { headers, method: options.method ?? 'GET', agent: false }, callback)
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', reject)
    req.end(payload)
  })
}

/** Sends `body` with `method` (JSON unless a string/Buffer with its own Content-Type). */
export function send(
  server: Target,
  method: string,
  path: string,
  body?: string | Buffer | object,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return get(server, path, body === undefined ? { method, headers } : { method, headers, body })
}

/** An open watch: the events received so far, waiting for more, and closing. */
export interface WatchStream {
  status: number
  events: { type: string; object: Record<string, unknown> }[]
  /** Resolves once at least `count` events arrived (rejects after 20 s). */
  waitFor(count: number): Promise<WatchStream['events']>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

/** Opens `GET path` (a `?watch=true` URL) and collects its JSON lines. */
export function openWatch(server: Target, path: string): Promise<WatchStream> {
  const target = new URL(new URL(server.url).pathname.replace(/\/$/, '') + path, server.url)
  const headers: Record<string, string> = {}
  if (server.token !== undefined) headers['authorization'] = `Bearer ${server.token}`
  return new Promise((resolve, reject) => {
    const callback = (res: IncomingMessage): void => {
      const events: WatchStream['events'] = []
      const waiters: { count: number; resolve: () => void }[] = []
      let buffered = ''
      let endResolve: () => void = () => {}
      const ended = new Promise<void>((r) => (endResolve = r))
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        let newline = buffered.indexOf('\n')
        while (newline !== -1) {
          const line = buffered.slice(0, newline)
          buffered = buffered.slice(newline + 1)
          if (line !== '') events.push(JSON.parse(line) as WatchStream['events'][number])
          newline = buffered.indexOf('\n')
        }
        for (const waiter of [...waiters]) {
          if (events.length >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve()
          }
        }
      })
      res.on('end', () => endResolve())
      res.on('close', () => endResolve())
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        waitFor(count) {
          if (events.length >= count) return Promise.resolve(events)
          return new Promise((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`watch: ${events.length} of ${count} events after 20 s`)),
              20_000,
            )
            waiters.push({
              count,
              resolve: () => {
                clearTimeout(timer)
                ok(events)
              },
            })
          })
        },
        close() {
          req.destroy()
        },
      })
    }
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { headers, ca: server.caPem, agent: false }, callback)
        : httpRequest(target, { headers, agent: false }, callback)
    req.on('error', (error) => {
      if (!req.destroyed) reject(error)
    })
    req.end()
  })
}

/** Parses a JSON body. */
export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'))
}

export interface RawExchange {
  /** Status line and headers as received. */
  head: string
  status: number
  headers: Record<string, string>
  /** Body bytes received before the connection ended. */
  body: Buffer
  /** Number of socket reads that carried body bytes. */
  bodyReads: number
  /** The socket error, when the connection ended with one (e.g. ECONNRESET). */
  error?: string
}

/**
 * One GET over a fresh connection, read byte by byte until the server closes it, without any
 * HTTP client interpretation: for faults that break the message framing.
 */
export function rawGet(server: ApiServer, path: string): Promise<RawExchange> {
  const base = new URL(server.url)
  const port = Number(base.port)
  const host = base.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve, reject) => {
    const socket =
      base.protocol === 'https:'
        ? tlsConnect({ host, port, ca: server.caPem, servername: 'localhost' })
        : netConnect({ host, port })
    const chunks: Buffer[] = []
    let headerEnd = -1
    let bodyReads = 0
    let error: string | undefined
    const timer = setTimeout(() => socket.destroy(new Error(`raw GET ${path} timed out`)), 15_000)
    socket.on(base.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      const auth = server.token === undefined ? '' : `Authorization: Bearer ${server.token}\r\n`
      socket.write(
        `GET ${base.pathname.replace(/\/$/, '')}${path} HTTP/1.1\r\nHost: ${base.host}\r\n${auth}Connection: close\r\n\r\n`,
      )
    })
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (headerEnd === -1) {
        headerEnd = Buffer.concat(chunks).indexOf('\r\n\r\n')
        if (headerEnd !== -1 && Buffer.concat(chunks).length > headerEnd + 4) bodyReads += 1
      } else bodyReads += 1
    })
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const all = Buffer.concat(chunks)
      const end = all.indexOf('\r\n\r\n')
      if (end === -1) {
        if (error !== undefined)
          resolve({ head: '', status: 0, headers: {}, body: Buffer.alloc(0), bodyReads: 0, error })
        else reject(new Error(`raw GET ${path}: connection closed before headers`))
        return
      }
      const head = all.subarray(0, end).toString('latin1')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
      }
      const exchange: RawExchange = {
        head,
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: all.subarray(end + 4),
        bodyReads,
      }
      if (error !== undefined) exchange.error = error
      resolve(exchange)
    })
  })
}
