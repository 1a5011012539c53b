// Table tests over the kubeconfig fixtures: sources, merges, relative paths, duplicates, every
// validation rule and every override flag, through the public API.
import { beforeAll, describe, expect, it } from 'vitest'
import { ClusterError, loadConnection, resolveKubeconfig } from '../src/index.js'
import { fixtures, type FixtureResolved } from './fixtures/kubeconfigs.js'
import { materialize } from './helpers/materialize.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

let pki: TestPki
beforeAll(async () => {
  pki = await createTestPki()
})

describe('kubeconfig fixtures', () => {
  it('has at least 20 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20)
  })

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const m = await materialize(fixture, pki)
    const warnings: string[] = []
    try {
      const attempt = loadConnection({ ...m.options, onWarning: (w) => warnings.push(w) })
      if ('error' in fixture.want) {
        const error = await attempt.then(
          (c) => c.close().then(() => undefined),
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(ClusterError)
        expect((error as ClusterError).code).toBe(fixture.want.error)
        expect((error as ClusterError).message).toMatch(fixture.want.message)
        return
      }
      const connection = await attempt
      try {
        const resolved = await resolveKubeconfig(m.options)
        const d = connection.describe()
        const got: FixtureResolved = {
          server: d.server,
          namespace: d.namespace,
          insecure: d.insecure,
          authMethod: d.authMethod,
        }
        if (d.context !== undefined) got.context = d.context
        if (d.cluster !== undefined) got.cluster = d.cluster
        if (d.user !== undefined) got.user = d.user
        if (d.tlsServerName !== undefined) got.tlsServerName = d.tlsServerName
        if (resolved.ca !== undefined) {
          expect(Buffer.from(resolved.ca.pem).toString()).toBe(pki.ca.cert)
          got.ca = 'CA'
        }
        const pair = resolved.credentials.clientCertificate
        if (pair !== undefined) {
          expect(Buffer.from(pair.cert).toString()).toBe(pki.client.cert)
          expect(Buffer.from(pair.key).toString()).toBe(pki.client.key)
          got.clientCert = 'CLIENT'
        }
        if (resolved.credentials.token !== undefined) got.token = resolved.credentials.token
        if (resolved.credentials.tokenFile !== undefined)
          got.tokenFile = resolved.credentials.tokenFile
        const want = { ...fixture.want }
        if (want.tokenFile !== undefined) want.tokenFile = m.substitute(want.tokenFile)
        expect(got).toEqual(want)
        expect(connection.server).toBe(want.server)
        if (want.insecure) expect(warnings.join('\n')).toMatch(/TLS verification is disabled/)
      } finally {
        await connection.close()
      }
    } finally {
      await m.cleanup()
    }
  })
})

describe('errors never echo secrets', () => {
  it('no fixture error message contains the fixture token, password or key', async () => {
    const checked: string[] = []
    for (const fixture of fixtures) {
      if (!('error' in fixture.want)) continue
      const m = await materialize(fixture, pki)
      try {
        const error = await loadConnection(m.options).then(
          (c) => c.close(),
          (e: unknown) => e,
        )
        const text = `${String(error)}\n${(error as Error).stack ?? ''}\n${JSON.stringify(error)}`
        for (const file of Object.values(fixture.given.files)) {
          for (const match of file.matchAll(/(?:token|password|id-token): (\S+)/g)) {
            // Every fixture secret is unique and long enough to be unmistakable (not 'y').
            const secret = match[1] ?? ''
            if (secret.length < 6) continue
            checked.push(secret)
            expect(text).not.toContain(secret)
          }
        }
        expect(text).not.toContain(pki.client.key.split('\n')[1])
      } finally {
        await m.cleanup()
      }
    }
    expect(checked.length).toBeGreaterThan(5)
  })
})
