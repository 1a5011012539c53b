import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, rawGet } from './_client.js'
import { tinyProfile } from './_profiles.js'

const sha512 = (bytes: Uint8Array): string =>
  createHash('sha512').update(bytes).digest('hex').toUpperCase()
const key = 'apis/example.dev/v1'
const path = `/openapi/v3/${key}`

describe('fault injection', () => {
  const profile = tinyProfile()
  let server: ApiServer
  const removers: (() => void)[] = []
  const inject = (fault: Parameters<ApiServer['injectFault']>[0]): void => {
    removers.push(server.injectFault(fault))
  }
  beforeAll(async () => {
    server = await startApiServer({ profile: profile.dir })
  })
  afterEach(() => {
    for (const remove of removers.splice(0)) remove()
  })
  afterAll(async () => {
    await server.close()
    profile.remove()
  })

  it('answers 429 with Retry-After and a TooManyRequests Status, `times` requests only', async () => {
    inject({ path, kind: 'status', status: 429, retryAfter: 3, times: 2 })
    for (let i = 0; i < 2; i++) {
      const response = await get(server, path)
      expect(response.status).toBe(429)
      expect(response.headers['retry-after']).toBe('3')
      expect(json(response)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Too many requests, please try again later.',
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 3 },
        code: 429,
      })
    }
    expect((await get(server, path)).status).toBe(200)
  })

  it.each([
    { given: 500, want: 'InternalError' },
    { given: 503, want: 'ServiceUnavailable' },
  ])('answers status $given with reason $want until removed', async ({ given, want }) => {
    const remove = server.injectFault({ path: /^\/openapi\/v3\//, kind: 'status', status: given })
    expect(json(await get(server, path))).toMatchObject({ code: given, reason: want })
    expect((await get(server, '/openapi/v3/api/v1')).status).toBe(given)
    remove()
    expect((await get(server, path)).status).toBe(200)
  })

  it('delays a faulted route behind an unfaulted one (latency)', async () => {
    inject({ path: '/version', kind: 'latency', ms: 2000, times: 1 })
    const order: string[] = []
    await Promise.all([
      get(server, '/version').then(() => order.push('slow')),
      get(server, '/api').then(() => order.push('fast')),
    ])
    expect(order).toEqual(['fast', 'slow'])
  })

  it('resets the connection after N body bytes', async () => {
    inject({ path, kind: 'reset', afterBytes: 100, times: 1 })
    const exchange = await rawGet(server, path)
    expect(exchange.status).toBe(200)
    expect(exchange.body.length).toBeLessThanOrEqual(100)
    expect(Number(exchange.headers['content-length'])).toBeGreaterThan(100)
    expect(exchange.error).toBe('ECONNRESET')
  })

  it('truncates the body under a correct Content-Length and closes the connection', async () => {
    const full = await get(server, path)
    inject({ path, kind: 'truncate', bytes: 50, times: 1 })
    const exchange = await rawGet(server, path)
    expect(exchange.status).toBe(200)
    expect(Number(exchange.headers['content-length'])).toBe(full.body.length)
    expect(exchange.body.equals(full.body.subarray(0, 50))).toBe(true)
  })

  it('serves bytes whose SHA-512 differs from the advertised hash', async () => {
    const advertised = server.hashOf(key)
    inject({ path, kind: 'wrong-hash', times: 1 })
    const response = await get(server, `${path}?hash=${advertised}`)
    expect(response.status).toBe(200)
    expect(response.headers['etag']).toBe(`"${advertised}"`)
    expect(sha512(response.body)).not.toBe(advertised)
    expect(sha512((await get(server, path)).body)).toBe(advertised)
  })

  it('drips the complete body in several pieces', async () => {
    const full = await get(server, path)
    inject({
      path,
      kind: 'drip',
      chunkBytes: Math.ceil(full.body.length / 4),
      intervalMs: 50,
      times: 1,
    })
    const exchange = await rawGet(server, path)
    expect(exchange.body.equals(full.body)).toBe(true)
    expect(exchange.bodyReads).toBeGreaterThan(1)
  })

  it('changes the hash between the root and the GV request (rehash-root), once by default', async () => {
    const root = json(await get(server, '/openapi/v3')) as {
      paths: Record<string, { serverRelativeURL: string }>
    }
    const advertised = root.paths[key]?.serverRelativeURL ?? ''
    inject({ path, kind: 'rehash-root' })
    const stale = await get(server, advertised, {})
    expect(stale.status).toBe(301)
    const current = server.hashOf(key) ?? ''
    expect(advertised).not.toContain(current)
    expect(stale.headers['location']).toBe(`${path}?hash=${current}`)
    const fresh = await get(server, String(stale.headers['location']))
    expect(fresh.status).toBe(200)
    expect(sha512(fresh.body)).toBe(current)
    const newRoot = json(await get(server, '/openapi/v3')) as typeof root
    expect(newRoot.paths[key]?.serverRelativeURL).toBe(`${path}?hash=${current}`)
  })
})
