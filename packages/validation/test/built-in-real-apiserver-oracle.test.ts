// Built-in objects sent to a real kube-apiserver v1.37.2 (dryRun=All) and to validateObject with
// the shipped 1.37 documents give the same Status, cause for cause, for every row of
// _built-ins.ts the server is not said to answer otherwise. Needs the binary of
// `npm run apiserver:build`: skipped, saying so, without one.
import { loadBuiltInDocument } from '@k8s-codegen/kube-schemas'
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateObject, type Status } from '../src/index.js'
import { builtInRows } from './_built-ins.js'
import { call } from './_real-apiserver.js'
import { sortedCauses } from './_widgets.js'

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn(
    'built-in-real-apiserver-oracle: skipped, no kube-apiserver binary (npm run apiserver:build)',
  )
}

describe.skipIf(backend === undefined)(
  'built-in kinds: validateObject agrees with a real kube-apiserver',
  () => {
    let server: RealApiServer
    beforeAll(async () => {
      server = await startRealApiServer({})
    }, 240_000)
    afterAll(async () => {
      await server?.close()
    }, 60_000)

    const agreed = builtInRows.filter((row) => row.server === undefined)
    it.each(agreed)('$given.kind $given.metadata', async ({ given, path }) => {
      const answer = await call(server, 'POST', `${path}?dryRun=All`, given)
      expect(answer.status === 201 || answer.status === 422, answer.body).toBe(true)
      const want = answer.status === 422 ? (JSON.parse(answer.body) as Status) : undefined
      const got = validateObject(loadBuiltInDocument('1.37', given.apiVersion) ?? {}, given)
      expect(got === undefined, JSON.stringify(got?.details.causes)).toBe(want === undefined)
      if (want === undefined || got === undefined) return
      expect(sortedCauses(got.details.causes)).toEqual(sortedCauses(want.details.causes))
      expect(got).toEqual({ ...want, details: { ...want.details, causes: got.details.causes } })
    })

    it.each(builtInRows.filter((row) => row.server !== undefined))(
      '$given.kind $given.metadata: the server answers otherwise ($server)',
      async ({ given, path, want }) => {
        const answer = await call(server, 'POST', `${path}?dryRun=All`, given)
        const status = JSON.parse(answer.body) as Partial<Status>
        expect(status.details?.causes).not.toEqual(want)
      },
    )
  },
)
