import { execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { succeeding } from './_kubectl.js'

// kubectl is the oracle for storage, patch, apply and watch: a real client's failure is the
// emulator's bug. CI's Debian kubectl is 1.20, so only flags 1.20 knows are used.
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping kubectl storage tests: kubectl is not on PATH')

const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-storage-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const manifests = `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  labels: {app: web, tier: front}
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
---
apiVersion: example.dev/v1
kind: Widget
metadata:
  name: w
spec:
  size: 1
  replicas: 1
`

describe.skipIf(!hasKubectl)('kubectl against the stateful emulator', () => {
  let server: ApiServer
  let kubeconfig = ''
  const kubectl = (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), ...args],
        { encoding: 'utf8', timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ stdout, stderr, code: error === null ? 0 : (error.code as number) }),
      )
      child.stdin?.end()
    })
  const ok = succeeding(kubectl)
  const file = (name: string, text: string): string => {
    const path = join(work, name)
    writeFileSync(path, text)
    return path
  }

  beforeAll(async () => {
    server = await startApiServer({ exampleCrds: true })
    kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
    await ok(['create', '-f', file('all.yaml', manifests)])
  })
  afterAll(() => server.close())

  it('create -f made all three; get reads them back with the server-assigned metadata', async () => {
    expect(await ok(['get', 'configmap,deployment,widget', '-o', 'name'])).toBe(
      'configmap/demo\ndeployment.apps/web\nwidget.example.dev/w\n',
    )
    const deployment = JSON.parse(await ok(['get', 'deployment', 'web', '-o', 'json'])) as {
      metadata: { uid: string; generation: number; resourceVersion: string }
    }
    expect(deployment.metadata.generation).toBe(1)
    expect(deployment.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('apply (client-side) configures, then is unchanged; the last-applied annotation is kept', async () => {
    const path = file('apply.yaml', manifests.replace('a: "1"', 'a: "2"'))
    expect(await ok(['apply', '-f', path])).toContain('configmap/demo configured')
    expect(await ok(['apply', '-f', path])).toContain('configmap/demo unchanged')
    const annotation = await ok([
      'get',
      'configmap',
      'demo',
      '-o',
      'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
    ])
    expect(JSON.parse(annotation)).toMatchObject({ data: { a: '2' } })
  })

  it('apply --server-side conflicts with another manager, and --force-conflicts takes over', async () => {
    const path = (value: string): string =>
      file(
        `ssa-${value}.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  owner: ${value}\n`,
      )
    await ok(['apply', '--server-side', '--field-manager=alice', '-f', path('alice')])
    const conflict = await kubectl([
      'apply',
      '--server-side',
      '--field-manager=bob',
      '-f',
      path('bob'),
    ])
    expect(conflict.code).not.toBe(0)
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "alice"')
    expect(conflict.stderr).toContain('.data.owner')
    await ok([
      'apply',
      '--server-side',
      '--field-manager=bob',
      '--force-conflicts',
      '-f',
      path('bob'),
    ])
    expect(await ok(['get', 'configmap', 'ssa', '-o', 'jsonpath={.data.owner}'])).toBe('bob')
  })

  // kube-apiserver v1.37.2 printed the same through kubectl for this file.
  it('apply --server-side with two containers of one name is refused before anything is stored', async () => {
    const path = file(
      'ssa-duplicate.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: dupk, namespace: default}\nspec:\n  containers:\n  - {name: a, image: nginx}\n  - {name: a, image: busybox}\n',
    )
    const refused = await kubectl(['apply', '--server-side', '-f', path])
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({
      code: 1,
      stderr:
        'Error from server: failed to create typed patch object (default/dupk; /v1, Kind=Pod): .spec.containers: duplicate entries for key [name="a"]\n',
    })
    expect((await kubectl(['get', 'pod', 'dupk'])).code).not.toBe(0)
  })

  it.each([
    { type: 'merge', patch: '{"data":{"m":"1"}}', want: { m: '1' } },
    { type: 'json', patch: '[{"op":"add","path":"/data/j","value":"2"}]', want: { j: '2' } },
    { type: 'strategic', patch: '{"data":{"s":"3"}}', want: { s: '3' } },
  ])('patch --type $type', async ({ type, patch, want }) => {
    await ok(['patch', 'configmap', 'demo', '--type', type, '-p', patch])
    expect(
      JSON.parse(await ok(['get', 'configmap', 'demo', '-o', 'jsonpath={.data}'])),
    ).toMatchObject(want)
  })

  it('patch --type strategic merges containers by name', async () => {
    await ok([
      'patch',
      'deployment',
      'web',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
    ])
    expect(
      await ok([
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.containers[*].name}',
      ]),
    ).toBe('nginx side')
  })

  it('scale goes through the scale subresource of a Deployment and of a CRD', async () => {
    await ok(['scale', 'deployment', 'web', '--replicas=5'])
    await ok(['scale', 'widget', 'w', '--replicas=3'])
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('5')
    expect(await ok(['get', 'widget', 'w', '-o', 'jsonpath={.spec.replicas}'])).toBe('3')
  })

  it('label, then get -l and --field-selector select by it', async () => {
    await ok(['label', 'configmap', 'demo', 'env=prod'])
    expect(await ok(['get', 'configmap', '-l', 'env in (prod),app', '-o', 'name'])).toBe(
      'configmap/demo\n',
    )
    expect(await ok(['get', 'configmap', '-l', '!env', '-o', 'name'])).not.toContain(
      'configmap/demo',
    )
    expect(
      await ok(['get', 'configmap', '--field-selector', 'metadata.name=ssa', '-o', 'name']),
    ).toBe('configmap/ssa\n')
    const bad = await kubectl(['get', 'configmap', '--field-selector', 'spec.x=1'])
    expect(bad.stderr).toContain('"spec.x" is not a known field selector')
  })

  it('get --chunk-size pages with continue tokens and sees every object', async () => {
    const many = Array.from(
      { length: 7 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chunk-${i}\n`,
    ).join('---\n')
    await ok(['create', '-f', file('many.yaml', many)])
    const out = await ok(['get', 'configmap', '--chunk-size=2', '-o', 'name', '-v=6'])
    expect(out.split('\n').filter((l) => l.startsWith('configmap/chunk-'))).toHaveLength(7)
    const requests = server.requests.filter(
      (r) => r.path === '/api/v1/namespaces/default/configmaps' && r.query.includes('continue='),
    )
    expect(requests.length).toBeGreaterThanOrEqual(4)
  })

  it('get -w streams a change, and delete removes the object (waiting until it is gone)', async () => {
    const watcher = spawn(
      'kubectl',
      [
        '--kubeconfig',
        kubeconfig,
        'get',
        'configmap',
        'demo',
        '-w',
        '-o',
        'json',
        '--output-watch-events',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    const seen = (text: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`kubectl get -w printed only: ${out}`)),
          30_000,
        )
        const check = (): void => {
          if (out.includes(text)) {
            clearTimeout(timer)
            resolve()
          }
        }
        watcher.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          check()
        })
        check()
      })
    try {
      await seen('"ADDED"')
      await ok(['label', 'configmap', 'demo', 'watched=yes'])
      await seen('"MODIFIED"')
      expect(await ok(['delete', 'configmap', 'demo'])).toContain('configmap "demo" deleted')
      await seen('"DELETED"')
    } finally {
      watcher.kill()
    }
    const gone = await kubectl(['get', 'configmap', 'demo'])
    expect(gone.stderr).toContain('configmaps "demo" not found')
  })
})
