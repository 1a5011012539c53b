import { spawnSync, execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deprecationWarning } from '../src/deprecation.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get, send } from './_client.js'

// apiserver `pkg/endpoints/deprecation/deprecation.go` WarningMessage over the APILifecycle
// methods of k8s.io/api v0.37.2; the Endpoints text is what 1.33+ clusters print.
describe('deprecationWarning', () => {
  it.each([
    {
      given: ['v1', 'Endpoints', '1', '36'],
      want: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    },
    {
      given: ['v1', 'EndpointsList', '1', '33'],
      want: 'v1 EndpointsList is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSliceList',
    },
    { given: ['v1', 'Endpoints', '1', '32'], want: undefined },
    {
      given: ['v1', 'ComponentStatus', '1', '36'],
      want: 'v1 ComponentStatus is deprecated in v1.19+',
    },
    {
      given: ['batch/v1beta1', 'CronJob', '1', '21'],
      want: 'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob',
    },
    // MajorMinor keeps the minor's leading digits; no version at all counts as deprecated.
    {
      given: ['v1', 'Endpoints', '1', '33+'],
      want: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    },
    {
      given: ['v1', 'Endpoints', '', ''],
      want: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    },
    // Servers before 1.19 had no Warning header.
    { given: ['extensions/v1beta1', 'Deployment', '1', '13'], want: undefined },
    { given: ['v1', 'ConfigMap', '1', '36'], want: undefined },
  ])('$given.0 $given.1 on $given.2.$given.3 → $want', ({ given, want }) => {
    const [apiVersion = '', kind = '', major = '', minor = ''] = given
    expect(deprecationWarning(apiVersion, kind, { major, minor })).toBe(want)
  })
})

const endpoints = '/api/v1/namespaces/default/endpoints'
const body = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } }

describe.skipIf(recordedProfileDir() === undefined)('Warning headers on a deprecated kind', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true })
  })
  afterAll(() => server.close())

  const warned =
    '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"'
  it.each([
    { given: 'create', run: () => send(server, 'POST', endpoints, body), want: warned },
    { given: 'list', run: () => get(server, endpoints), want: warned },
    { given: 'a 404 get', run: () => get(server, `${endpoints}/absent`), want: warned },
    {
      given: 'a configmap list',
      run: () => get(server, '/api/v1/namespaces/default/configmaps'),
      want: undefined,
    },
  ])('$given → $want', async ({ run, want }) => {
    const response = await run()
    expect(response.headers['warning']).toBe(want)
  })
})

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping kubectl deprecation warning test: kubectl is not on PATH')

describe.skipIf(!hasKubectl || recordedProfileDir() === undefined)(
  'kubectl and a deprecated kind',
  () => {
    let server: ApiServer
    const work = mkdtempSync(join(tmpdir(), 'testkit-deprecation-'))
    beforeAll(async () => {
      server = await startApiServer()
    })
    afterAll(async () => {
      await server.close()
      rmSync(work, { recursive: true, force: true })
    })

    it('kubectl get endpoints prints the server’s warning', async () => {
      const kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      const stderr = await new Promise<string>((resolve, reject) => {
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), 'get', 'endpoints'],
          { encoding: 'utf8', timeout: 60_000 },
          (error, _stdout, err) => (error === null ? resolve(err) : reject(new Error(err))),
        )
      })
      expect(stderr).toContain(
        'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
      )
    })
  },
)
