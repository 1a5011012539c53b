// Test helpers: setup writes over the client's own connection (the objects the streaming
// operations then watch, list, log, evict and proxy to), and pulling an iterator by hand.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import type { Client } from '../src/index.js'

/** Sends `body` as JSON and returns the parsed answer; a non-2xx answer throws with its body. */
export async function write<T = Record<string, unknown>>(
  client: Client,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: object,
): Promise<T> {
  const response = await client.connection.send(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }),
  })
  const text = new TextDecoder().decode(response.body)
  if (response.status < 200 || response.status > 299)
    throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return JSON.parse(text) as T
}

/** The iterator of an async iterable, to pull events one by one. */
export function iterate<T>(iterable: AsyncIterable<T>): AsyncIterator<T> {
  return iterable[Symbol.asyncIterator]()
}

/**
 * Writes `dir/kubeconfig` for a hand-written plain-http server on 127.0.0.1 `port` (with a bearer
 * `token` when given) and returns its path.
 */
export function localKubeconfig(dir: string, port: number, token?: string): string {
  const path = join(dir, 'kubeconfig')
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {${token === undefined ? '' : `token: ${token}`}}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
  )
  return path
}
