import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordedProfileDir, startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './_cli.js'

// A user installs a CRD into a running cluster (`kubectl apply -f crd.yaml`) and fetches again:
// the new group-version is locked and generated, and once the CRD is deleted it is gone from
// both. The emulator serves a CRD written through the API as apiextensions-apiserver does
// (testkit crd-controller.ts); the recorded profile is the one serving apiextensions.k8s.io/v1.
const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn(
    'cli fetch after a CRD created through the API: ../shared/fixtures/kubernetes is absent; skipped (the 1.13 profile serves CRDs as v1beta1)',
  )

const GV = 'apis/later.example.dev/v1'
const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.later.example.dev' },
  spec: {
    group: 'later.example.dev',
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: { size: { type: 'integer' } },
              },
            },
          },
        },
      },
    ],
  },
}

let dir: string
let server: ApiServer
let kubeconfig: string

// One request to the emulator with its CA and token, as kubectl sends it.
function send(method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method,
        ca: server.caPem,
        headers: {
          authorization: `Bearer ${server.token ?? ''}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

// The CRD controllers act after the request that wrote the CRD: wait until the group-version
// answers `want`.
async function untilServed(want: number): Promise<void> {
  const until = Date.now() + 10_000
  while ((await send('GET', `/${GV}`)) !== want) {
    if (Date.now() > until) throw new Error(`/${GV} never answered ${want}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function fetchedGroupVersions(): Promise<string[]> {
  const run = await runCli(
    [
      'fetch',
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(dir, 'cache'),
      '--lockfile',
      join(dir, 'k8s-codegen.lock.json'),
      '--out',
      join(dir, 'generated'),
    ],
    { cwd: dir },
  )
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
  const lockfile = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
    groupVersions: Record<string, unknown>
  }
  return Object.keys(lockfile.groupVersions)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-fetch-crd-api-'))
  if (recorded === undefined) return
  server = await startApiServer({ profile: 'recorded' })
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
})

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe.skipIf(recorded === undefined)('fetch after a CRD is created through the API', () => {
  it(
    'locks and generates its group-version, and drops both once the CRD is deleted',
    { timeout: 120_000 },
    async () => {
      const module = join(dir, 'generated', 'later.example.dev', 'v1.ts')
      expect((await fetchedGroupVersions()).includes(GV)).toBe(false)

      expect(
        await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD),
      ).toBe(201)
      await untilServed(200)
      expect((await fetchedGroupVersions()).includes(GV)).toBe(true)
      const source = await readFile(module, 'utf8')
      expect(source).toMatch(/export interface Gizmo\b/)
      expect(source).toMatch(/\bsize: number\b/)

      expect(
        await send(
          'DELETE',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.later.example.dev',
        ),
      ).toBe(200)
      await untilServed(404)
      expect((await fetchedGroupVersions()).includes(GV)).toBe(false)
      expect(existsSync(module)).toBe(false)
    },
  )
})
