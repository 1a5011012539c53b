import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, TestkitError, type ApiServer } from '../src/index.js'
import { get, json } from './_client.js'
import { tinyProfile } from './_profiles.js'

const profile = tinyProfile()
afterAll(() => profile.remove())

describe('client-certificate mTLS', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({
      profile: profile.dir,
      auth: { token: false, clientCert: true },
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('accepts the client certificate it hands out', async () => {
    expect(server.token).toBeUndefined()
    expect(server.clientCert?.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/)
    const response = await get(server, '/version', { clientCert: server.clientCert })
    expect(response.status).toBe(200)
  })

  it('accepts the certificate even beside a wrong token (the union takes any success)', async () => {
    const both = await startApiServer({ profile: profile.dir, auth: { clientCert: true } })
    try {
      expect(
        (await get(both, '/version', { clientCert: both.clientCert, token: 'wrong' })).status,
      ).toBe(200)
      expect((await get(both, '/version', { token: 'wrong' })).status).toBe(401)
    } finally {
      await both.close()
    }
  })

  it('rejects a request without certificate or token with 401', async () => {
    const response = await get(server, '/version')
    expect(response.status).toBe(401)
    expect(json(response)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 })
  })

  it('writes a kubeconfig with client-certificate-data and no token', async () => {
    const path = await server.kubeconfig()
    const config = JSON.parse(readFileSync(path, 'utf8')) as {
      users: { user: Record<string, string> }[]
      clusters: { cluster: Record<string, string> }[]
    }
    const user = config.users[0]?.user ?? {}
    expect(Object.keys(user).sort()).toEqual(['client-certificate-data', 'client-key-data'])
    expect(Buffer.from(user['client-certificate-data'] ?? '', 'base64').toString()).toBe(
      server.clientCert?.certPem,
    )
    expect(
      Buffer.from(
        config.clusters[0]?.cluster['certificate-authority-data'] ?? '',
        'base64',
      ).toString(),
    ).toBe(server.caPem)
  })

  it('rejects an unwritable kubeconfig path with an error naming it', async () => {
    await expect(server.kubeconfig('/nonexistent/dir/kubeconfig')).rejects.toMatchObject({
      code: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      message: expect.stringContaining('/nonexistent/dir/kubeconfig') as string,
    })
  })

  it('refuses a token kubeconfig when the server has no token', async () => {
    await expect(server.kubeconfig(undefined, { auth: 'token' })).rejects.toMatchObject({
      code: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
    })
  })
})

describe('anonymous access', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: profile.dir, auth: { anonymous: true } })
  })
  afterAll(async () => {
    await server.close()
  })

  it.each([
    { given: 'no credentials', token: null, want: 200 },
    { given: 'the right token', token: undefined, want: 200 },
    // bearertoken.go: a presented token that fails is an error, not a fall-through to anonymous.
    { given: 'a wrong token', token: 'wrong', want: 401 },
    // …but a non-Bearer Authorization header is no token at all.
    { given: 'basic credentials', token: null, authorization: 'Basic dXNlcjpwYXNz', want: 200 },
  ])('answers $given with $want', async ({ token, authorization, want }) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
    const response = await get(server, '/version', { token, headers })
    expect(response.status).toBe(want)
  })
})

describe('path prefix mode', () => {
  const prefix = '/k8s/clusters/c-1'
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: profile.dir, prefix })
  })
  afterAll(async () => {
    await server.close()
  })

  it('puts the prefix in url without a trailing slash', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/k8s\/clusters\/c-1$/)
  })

  it('serves every route under the prefix and nothing outside it', async () => {
    expect((await get(server, '/version')).status).toBe(200)
    expect((await get(server, '/openapi/v3')).status).toBe(200)
    const outside = await get(server, '/version', { absolute: true })
    expect(outside.status).toBe(404)
    expect(outside.body.toString()).toBe('404 page not found\n')
  })

  it('lists root URLs and redirects without the prefix, as the apiserver behind a proxy does', async () => {
    const root = json(await get(server, '/openapi/v3')) as {
      paths: Record<string, { serverRelativeURL: string }>
    }
    const hash = server.hashOf('apis/example.dev/v1') ?? ''
    expect(root.paths['apis/example.dev/v1']?.serverRelativeURL).toBe(
      `/openapi/v3/apis/example.dev/v1?hash=${hash}`,
    )
    const stale = await get(server, '/openapi/v3/apis/example.dev/v1?hash=ABC')
    expect(stale.status).toBe(301)
    expect(stale.headers['location']).toBe(`/openapi/v3/apis/example.dev/v1?hash=${hash}`)
  })

  it('logs the path as received, prefix included', async () => {
    server.clearRequests()
    await get(server, '/api/v1')
    expect(server.requests.map((r) => r.path)).toEqual([`${prefix}/api/v1`])
  })

  it('matches faults against the path without the prefix', async () => {
    const remove = server.injectFault({ path: '/version', kind: 'status', status: 500 })
    try {
      expect((await get(server, '/version')).status).toBe(500)
    } finally {
      remove()
    }
    expect((await get(server, '/version')).status).toBe(200)
  })
})

describe('plain HTTP mode', () => {
  it('serves over http with an empty caPem and a CA-less kubeconfig', async () => {
    const server = await startApiServer({ profile: profile.dir, http: true })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.caPem).toBe('')
      expect((await get(server, '/openapi/v3')).status).toBe(200)
      const config = JSON.parse(readFileSync(await server.kubeconfig(), 'utf8')) as {
        clusters: { cluster: Record<string, string> }[]
      }
      expect(config.clusters[0]?.cluster).toEqual({ server: server.url })
    } finally {
      await server.close()
    }
  })
})

describe('IPv6 loopback', () => {
  it('listens on ::1 and brackets the host in url', async () => {
    let server: ApiServer
    try {
      server = await startApiServer({ profile: profile.dir, host: '::1' })
    } catch (error) {
      console.warn(
        `skipping the ::1 assertion: this machine cannot listen on ::1 (${String(error)})`,
      )
      return
    }
    try {
      expect(server.url).toMatch(/^https:\/\/\[::1\]:\d+$/)
      expect((await get(server, '/version')).status).toBe(200)
    } finally {
      await server.close()
    }
  })
})

describe('option errors', () => {
  it.each([
    { given: { prefix: 'no-slash' }, want: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID' },
    { given: { prefix: '/a?b' }, want: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID' },
    { given: { host: '0.0.0.0' }, want: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID' },
    { given: { synthesizeGroupVersions: -1 }, want: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID' },
    {
      given: { http: true, auth: { clientCert: true } },
      want: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
    },
    { given: { profile: '/nonexistent/profile' }, want: 'K8S_CODEGEN_TESTKIT_PROFILE_INVALID' },
  ])('rejects $given with $want', async ({ given, want }) => {
    const error: unknown = await startApiServer({ profile: profile.dir, ...given }).then(
      async (server) => {
        await server.close()
        return undefined
      },
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TestkitError)
    expect((error as TestkitError).code).toBe(want)
  })
})
