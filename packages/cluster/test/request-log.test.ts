// What `-v` logs of each request: client-go's debugging round tripper masks Authorization
// (transport/round_trippers.go `maskValue`), and a body never shows a credential.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnection, maskHeader, type RequestLogEntry } from '../src/index.js'
import { createTestPki } from './helpers/pki.js'

let server: Server
let url: string
let dir: string
let caFile: string
const TOKEN = 'sekret-token-123'

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-log-'))
  const pki = await createTestPki()
  caFile = path.join(dir, 'ca.crt')
  await writeFile(caFile, pki.ca.cert)
  // Echoes the Authorization it received, as a misbehaving proxy might.
  server = createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ echoed: req.headers.authorization }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  url = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await rm(dir, { recursive: true, force: true })
})

describe('maskHeader', () => {
  it.each([
    { given: ['Authorization', 'Bearer abc.def'], want: 'Bearer <masked>' },
    { given: ['authorization', 'Basic dXNlcjpwYXNz'], want: 'Basic <masked>' },
    { given: ['authorization', 'Bearer'], want: 'Bearer' },
    { given: ['authorization', 'Token abc'], want: '<masked>' },
    { given: ['authorization', ''], want: '' },
    { given: ['accept', 'application/json'], want: 'application/json' },
  ] as const)('$given → $want', ({ given, want }) => {
    expect(maskHeader(given[0], given[1])).toBe(want)
  })
})

describe('onRequestLog', () => {
  it('reports each request and response with method, URL, status and headers, credentials masked', async () => {
    const entries: RequestLogEntry[] = []
    const connection = await loadConnection({
      server: url,
      token: TOKEN,
      certificateAuthority: caFile,
      env: {},
      onRequestLog: (entry) => entries.push(entry),
    })
    try {
      await connection.request('/version')
    } finally {
      await connection.close()
    }
    expect(entries.map((e) => e.phase)).toEqual(['request', 'response'])
    expect(entries[0]).toMatchObject({
      method: 'GET',
      url: `${url}/version`,
      headers: { authorization: 'Bearer <masked>' },
    })
    expect(entries[1]).toMatchObject({ method: 'GET', status: 200 })
    const text = JSON.stringify(entries) + new TextDecoder().decode(entries[1]?.body)
    expect(text).not.toContain(TOKEN)
  })
})
