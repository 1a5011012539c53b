// Which answers the typed client sends a request again for: only those where the server asks for
// it, as client-go's rest client decides (`rest/with_retry.go` `IsNextRetry` → `checkWait`: a
// 429 or any 5xx *with* a Retry-After of whole seconds, for every verb; at most `maxRetries`, 10
// by default). A 503 without the header is final, so a POST is never sent twice for it. A local
// server answers the first attempts with the failure and then the object; requests are counted,
// never timed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient, isServiceUnavailable, isTooManyRequests, type Client } from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { localKubeconfig } from './_helpers.js'

const target = { namespace: 'default', name: 'cm' }
const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...target } } as const

/** One operation of the client per verb it sends. */
const operations = {
  'get (GET)': (k8s: Client) => k8s.get(ConfigMap, target),
  'list (GET)': (k8s: Client) => k8s.list(ConfigMap, { namespace: 'default' }),
  'create (POST)': (k8s: Client) => k8s.create(ConfigMap, object),
  'replace (PUT)': (k8s: Client) => k8s.replace(ConfigMap, object),
  'patch (PATCH)': (k8s: Client) => k8s.patch(ConfigMap, target, { merge: { data: { a: 'b' } } }),
  'apply (PATCH)': (k8s: Client) => k8s.apply(ConfigMap, object, { fieldManager: 'test' }),
  'delete (DELETE)': (k8s: Client) => k8s.delete(ConfigMap, target),
} satisfies Record<string, (k8s: Client) => Promise<unknown>>
type Operation = keyof typeof operations

interface Failure {
  status: number
  retryAfter?: string
  /** how many attempts fail before the server answers the object */
  times: number
}

let server: Server
let client: Client
let failure: Failure = { status: 503, times: 0 }
const seen: string[] = []
const work = mkdtempSync(join(tmpdir(), 'client-retry-after-'))

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      seen.push(req.method ?? '')
      if (seen.length <= failure.times) {
        const reason = failure.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable'
        res.writeHead(failure.status, {
          'content-type': 'application/json',
          ...(failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter }),
        })
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'the server is currently unable to handle the request',
            reason,
            code: failure.status,
          }),
        )
        return
      }
      const list =
        req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname.endsWith('s')
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify(
          list ? { kind: 'ConfigMapList', apiVersion: 'v1', metadata: {}, items: [] } : object,
        ),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = await createClient({ kubeconfig: localKubeconfig(work, port) })
})
beforeEach(() => {
  seen.length = 0
})
afterAll(async () => {
  await client.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(work, { recursive: true, force: true })
})

const verbs = Object.keys(operations) as Operation[]

describe('an answer the server asks to retry is sent again, for every verb', () => {
  it.each<{ given: { operation: Operation; failure: Failure }; want: number }>(
    verbs.flatMap((operation) => [
      { given: { operation, failure: { status: 503, retryAfter: '0', times: 1 } }, want: 2 },
      { given: { operation, failure: { status: 429, retryAfter: '0', times: 2 } }, want: 3 },
      { given: { operation, failure: { status: 500, retryAfter: '0', times: 1 } }, want: 2 },
      { given: { operation, failure: { status: 504, retryAfter: '-1', times: 1 } }, want: 2 },
    ]),
  )(
    '$given.operation after $given.failure.times × $given.failure.status with Retry-After $given.failure.retryAfter: $want attempts',
    async ({ given, want }) => {
      failure = given.failure
      await operations[given.operation](client)
      expect(seen).toHaveLength(want)
      expect(new Set(seen).size).toBe(1)
    },
  )
})

describe('an answer without a Retry-After of whole seconds is final, for every verb', () => {
  it.each<{ given: { operation: Operation; failure: Failure }; want: string }>(
    verbs.flatMap((operation) => [
      { given: { operation, failure: { status: 503, times: 1 } }, want: 'ServiceUnavailable' },
      { given: { operation, failure: { status: 429, times: 1 } }, want: 'TooManyRequests' },
      {
        given: {
          operation,
          failure: { status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', times: 1 },
        },
        want: 'ServiceUnavailable',
      },
    ]),
  )(
    '$given.operation after a $given.failure.status with Retry-After $given.failure.retryAfter: one attempt, $want',
    async ({ given, want }) => {
      failure = given.failure
      const error = await operations[given.operation](client).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(seen).toHaveLength(1)
      expect(
        want === 'TooManyRequests' ? isTooManyRequests(error) : isServiceUnavailable(error),
      ).toBe(true)
    },
  )
})

describe('retries are bounded', () => {
  it.each<{ given: { retries: number | undefined }; want: number }>([
    // client-go rest/request.go NewRequest: maxRetries 10.
    { given: { retries: undefined }, want: 11 },
    { given: { retries: 2 }, want: 3 },
    { given: { retries: 0 }, want: 1 },
  ])(
    'a POST answered 503 with Retry-After forever, retries $given.retries: $want attempts',
    async ({ given, want }) => {
      failure = { status: 503, retryAfter: '0', times: Number.MAX_SAFE_INTEGER }
      const k8s = await createClient({
        connection: client.connection,
        ...(given.retries === undefined ? {} : { retries: given.retries }),
      })
      const error = await k8s.create(ConfigMap, object).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isServiceUnavailable(error)).toBe(true)
      expect(seen).toEqual(Array.from({ length: want }, () => 'POST'))
    },
  )
})
