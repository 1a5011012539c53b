import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client, type Warning } from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { localKubeconfig } from './_helpers.js'

// What a hostile or careless server sends back never reaches a terminal or a log raw: terminal
// escape sequences (ESC, BEL, NUL, C1, an OSC title) lose their control characters, and the
// connection's credentials (a token the server echoes back) are redacted, in every string the
// client builds from a response — error messages, Status fields, causes, warnings.
const token = 'kube-token-0123456789abcdef'
const hostile = `\u001b]0;pwned\u0007\u001b[2J\u0000\u009b31m ${token} Bearer ${token}`
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

// Every string reachable from `value` (own properties, causes), for the checks below.
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value]
  if (typeof value !== 'object' || value === null || seen.has(value)) return []
  seen.add(value)
  const own = Object.getOwnPropertyNames(value).map(
    (key) => (value as Record<string, unknown>)[key],
  )
  return [...own, ...Object.keys(value)].flatMap((item) => strings(item, seen))
}

// What the first step of an iteration throws (undefined if it yields).
async function failureOf(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await iterable[Symbol.asyncIterator]().next()
    return undefined
  } catch (error) {
    return error
  }
}

const status = (code: number, reason: string, extra: object = {}): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `configmaps "a" ${hostile}`,
    reason,
    code,
    ...extra,
  })

interface Answer {
  status: number
  contentType: string
  body: string
  warning?: string
}

const answers: Record<string, Answer> = {
  'a 404 Status': {
    status: 404,
    contentType: 'application/json',
    body: status(404, 'NotFound', { details: { name: 'a', kind: 'configmaps' } }),
  },
  'a 422 Status with causes': {
    status: 422,
    contentType: 'application/json',
    body: status(422, 'Invalid', {
      details: { causes: [{ reason: 'FieldValueInvalid', message: hostile, field: 'data' }] },
    }),
  },
  'a 403 text body': { status: 403, contentType: 'text/plain', body: `forbidden: ${hostile}` },
  'a 500 text body': { status: 500, contentType: 'text/plain', body: hostile },
  'a 200 that is not JSON': { status: 200, contentType: 'application/json', body: hostile },
  'a 200 Failure Status': {
    status: 200,
    contentType: 'application/json',
    body: status(500, 'InternalError'),
  },
}

describe('server text in errors and warnings', () => {
  let server: Server
  let answer: Answer = { status: 200, contentType: 'application/json', body: '{}' }
  let k8s: Client
  const warnings: Warning[] = []
  const work = mkdtempSync(join(tmpdir(), 'client-server-text-'))
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const headers: Record<string, string> = { 'content-type': answer.contentType }
      if (answer.warning !== undefined) headers['warning'] = answer.warning
      res.writeHead(answer.status, headers)
      res.end(answer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const kubeconfig = localKubeconfig(work, port, token)
    k8s = await createClient({ kubeconfig, onWarning: (w) => warnings.push(w) })
  })
  afterAll(async () => {
    await k8s.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(work, { recursive: true, force: true })
  })

  it.each(Object.keys(answers).map((given) => ({ given })))(
    '$given: the error carries no control character and no token',
    async ({ given }) => {
      answer = answers[given] as Answer
      const error = await k8s.get(ConfigMap, { namespace: 'default', name: 'a' }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(Error)
      const texts = strings(error)
      expect(texts.filter((text) => CONTROL.test(text))).toEqual([])
      expect(texts.filter((text) => text.includes(token))).toEqual([])
      // The server's words are still there, the secret replaced.
      expect((error as Error).message).toMatch(/\[REDACTED\]|not JSON|status code/)
    },
  )

  it('a watch ERROR event: its StatusError carries no control character and no token', async () => {
    answer = {
      status: 200,
      contentType: 'application/json',
      body: `${JSON.stringify({ type: 'ERROR', object: JSON.parse(status(403, 'Forbidden')) as object })}\n`,
    }
    const events = k8s.watch(ConfigMap, { namespace: 'default', resourceVersion: '1' })
    const error = await failureOf(events)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_STATUS', statusCode: 403 })
    const texts = strings(error)
    expect(texts.filter((text) => CONTROL.test(text))).toEqual([])
    expect(texts.filter((text) => text.includes(token))).toEqual([])
  })

  it('a line that is not a watch event: the BAD_RESPONSE quotes it without the token', async () => {
    answer = { status: 200, contentType: 'application/json', body: `${hostile}\n` }
    const events = k8s.watch(ConfigMap, { namespace: 'default', resourceVersion: '1' })
    const error = await failureOf(events)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_BAD_RESPONSE' })
    expect(strings(error).filter((text) => text.includes(token))).toEqual([])
  })

  it('a Warning header that echoes the token reaches onWarning redacted', async () => {
    warnings.length = 0
    answer = {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } }),
      warning: `299 - "the token ${token} is about to expire"`,
    }
    await k8s.get(ConfigMap, { namespace: 'default', name: 'a' })
    expect(warnings).toEqual([
      { code: 299, agent: '-', text: 'the token [REDACTED] is about to expire' },
    ])
  })
})
