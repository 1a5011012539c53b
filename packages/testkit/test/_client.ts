import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { ApiServer } from '../src/index.js'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

export interface GetOptions {
  headers?: Record<string, string>
  /** Default: the server's token; `null` sends no Authorization header. */
  token?: string | null
  clientCert?: { certPem: string; keyPem: string }
  /** Path relative to the server origin (the prefix is NOT added). Default: url + path. */
  absolute?: boolean
}

/** A raw GET against the emulator: no redirects followed, no content decoding. */
export function get(
  server: ApiServer,
  path: string,
  options: GetOptions = {},
): Promise<RawResponse> {
  const base = new URL(server.url)
  const target = new URL(
    options.absolute === true ? path : base.pathname.replace(/\/$/, '') + path,
    base.origin,
  )
  const headers: Record<string, string> = { ...options.headers }
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
              ca: server.caPem,
              agent: false,
              ...(options.clientCert === undefined
                ? {}
                : { cert: options.clientCert.certPem, key: options.clientCert.keyPem }),
            },
            callback,
          )
        : httpRequest(target, { headers, agent: false }, callback)
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** Parses a JSON body. */
export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'))
}
