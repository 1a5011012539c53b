// Ratcheting on update, asked of a real kube-apiserver: objects stored under
// fixtures/ratchets-crd.json, the CRD replaced by fixtures/ratchets-crd-strict.json, then each
// update PUT with ?dryRun=All and given to validateObject with the stored object as oldObject.
// Skipped, saying so, without a kube-apiserver binary.
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateObject, type Status } from '../src/index.js'
import {
  ratchetRows,
  ratchetsCrdFile,
  strictRatchetsCrd,
  strictRatchetsDocument,
} from './_ratchets.js'
import { call } from './_real-apiserver.js'
import { sortedCauses } from './_widgets.js'

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn(
    'ratcheting-real-apiserver-oracle: skipped, no kube-apiserver binary (npm run apiserver:build)',
  )
}

const collection = '/apis/example.com/v1/namespaces/default/ratchets'
const ratchet = (name: string, spec: unknown) => ({
  apiVersion: 'example.com/v1',
  kind: 'Ratchet',
  metadata: { name },
  spec,
})

describe.skipIf(backend === undefined)('ratcheting agrees with a real kube-apiserver', () => {
  let server: RealApiServer
  const stored: Record<string, unknown>[] = []
  beforeAll(async () => {
    server = await startRealApiServer({ crds: [ratchetsCrdFile] })
    for (const [i, row] of ratchetRows.entries()) {
      const created = await call(server, 'POST', collection, ratchet(`r${i}`, row.given.oldSpec))
      expect(created.status, created.body).toBe(201)
      stored.push(JSON.parse(created.body) as Record<string, unknown>)
    }
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ratchets.example.com'
    const current = JSON.parse((await call(server, 'GET', crdPath)).body) as { metadata: object }
    const replaced = await call(server, 'PUT', crdPath, {
      ...strictRatchetsCrd,
      metadata: current.metadata,
    })
    expect(replaced.status, replaced.body).toBe(200)
    // The handler picks the new schema up from its informer: wait until it refuses what only the
    // strict schema refuses.
    for (let tries = 0; ; tries++) {
      const probe = await call(
        server,
        'POST',
        `${collection}?dryRun=All`,
        ratchet('probe', { size: 9 }),
      )
      if (probe.status === 422) break
      if (tries > 100) throw new Error(`the strict Ratchet CRD never took effect: ${probe.body}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }, 240_000)
  afterAll(async () => {
    await server?.close()
  }, 60_000)

  it.each(ratchetRows.map((row, i) => ({ given: row.given, i })))(
    '$given',
    async ({ given, i }) => {
      const old = stored[i]!
      const object = { ...old, spec: given.spec }
      const answer = await call(server, 'PUT', `${collection}/r${i}?dryRun=All`, object)
      expect([200, 422], answer.body).toContain(answer.status)
      const want = answer.status === 422 ? (JSON.parse(answer.body) as Status) : undefined
      const got = validateObject(strictRatchetsDocument, object, { oldObject: old })
      expect(got === undefined ? undefined : sortedCauses(got.details.causes)).toEqual(
        want === undefined ? undefined : sortedCauses(want.details.causes),
      )
    },
  )
})
