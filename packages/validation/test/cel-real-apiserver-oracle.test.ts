// The Check rows of test/_checks.ts and the real CRDs' rows of test/_corpus-rules.ts sent again to
// a real kube-apiserver serving those CRDs: creates with POST ?dryRun=All, updates by creating the
// old object and PUTting the new one with ?dryRun=All, then validateObject on the same objects
// (the update with the object the server stored as oldObject) gives the same causes. Skipped,
// saying so, without a kube-apiserver binary.
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateObject, type OpenApiDocument, type Status } from '../src/index.js'
import { check, checkRows, checksCrdFile } from './_checks.js'
import { corpusCrdFiles, corpusDocument, corpusRows } from './_corpus-rules.js'
import { call, publishedDocument } from './_real-apiserver.js'
import { sortedCauses } from './_widgets.js'

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn(
    'cel-real-apiserver-oracle: skipped, no kube-apiserver binary (npm run apiserver:build)',
  )
}

const collection = '/apis/example.com/v1/namespaces/default/checks'

describe.skipIf(backend === undefined)('CEL rules agree with a real kube-apiserver', () => {
  let server: RealApiServer
  let document: OpenApiDocument
  beforeAll(async () => {
    server = await startRealApiServer({ crds: [checksCrdFile, ...corpusCrdFiles] })
    document = await publishedDocument(server, 'example.com/v1')
  }, 240_000)
  afterAll(async () => {
    await server?.close()
  }, 60_000)

  it.each(checkRows.map((row, i) => ({ given: row.given, i })))('$given', async ({ given, i }) => {
    let answer
    let got
    if (given.oldSpec === undefined) {
      const object = check(given.name, given.spec)
      answer = await call(server, 'POST', `${collection}?dryRun=All`, object)
      got = validateObject(document, object)
    } else {
      const name = `c-update-${i}` // the root rule wants names starting with c
      const created = await call(server, 'POST', collection, check(name, given.oldSpec))
      expect(created.status, created.body).toBe(201)
      const old = JSON.parse(created.body) as Record<string, unknown>
      const object = {
        ...old,
        metadata: { ...(old.metadata as object), ...given.metadata },
        spec: given.spec,
      }
      answer = await call(server, 'PUT', `${collection}/${name}?dryRun=All`, object)
      got = validateObject(document, object, { oldObject: old })
    }
    expect([200, 201, 422], answer.body).toContain(answer.status)
    const want = answer.status === 422 ? (JSON.parse(answer.body) as Status) : undefined
    expect(got === undefined, JSON.stringify(got?.details.causes)).toBe(want === undefined)
    if (want === undefined || got === undefined) return
    expect(sortedCauses(got.details.causes)).toEqual(sortedCauses(want.details.causes))
    if (new Set(want.details.causes.map((c) => c.field + c.message)).size === 1)
      expect(got.message).toBe(want.message)
    expect(got.details.name).toBe(want.details.name)
  })

  const plural: Record<string, string> = {
    Gateway: 'gateways',
    HTTPRoute: 'httproutes',
    GRPCRoute: 'grpcroutes',
    Issuer: 'issuers',
    VolumeSnapshot: 'volumesnapshots',
  }
  it.each(corpusRows.map((row, i) => ({ given: row.given, i })))(
    'real CRD: $given.object.kind $given.object.spec',
    async ({ given, i }) => {
      const object = given.object as { apiVersion: string; kind: string; metadata: object }
      const base = `/apis/${object.apiVersion}/namespaces/default/${plural[object.kind] ?? ''}`
      let answer
      let got
      if (given.oldObject === undefined) {
        answer = await call(server, 'POST', `${base}?dryRun=All`, object)
        got = validateObject(corpusDocument, object)
      } else {
        const name = `stored-${i}`
        const oldObject = { ...(given.oldObject as object), metadata: { name } }
        const created = await call(server, 'POST', base, oldObject)
        expect(created.status, created.body).toBe(201)
        const old = JSON.parse(created.body) as { metadata: object }
        const updated = { ...object, metadata: old.metadata }
        answer = await call(server, 'PUT', `${base}/${name}?dryRun=All`, updated)
        got = validateObject(corpusDocument, updated, { oldObject: old })
      }
      expect([200, 201, 422], answer.body).toContain(answer.status)
      const want = answer.status === 422 ? (JSON.parse(answer.body) as Status) : undefined
      expect(got === undefined ? undefined : sortedCauses(got.details.causes)).toEqual(
        want === undefined ? undefined : sortedCauses(want.details.causes),
      )
    },
  )
})
