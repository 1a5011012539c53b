import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { runKubectl, type KubectlResult } from './_kubectl.js'

// Real kubectl against the kubernetes-1.13 profile, the emulator a project without ../shared
// gets: the everyday commands, each expected to print what it prints against a real 1.13
// cluster. kubectl downloads /openapi/v2 as protobuf before apply, explain, edit and diff, and a
// 1.13 server has neither server-side apply nor server-side field validation, so kubectl
// validates on its side and reports an apply patch's 415.

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl)
  console.warn('kubectl-on-kubernetes-1.13: skipped, kubectl is not on PATH (.ci/run installs it)')

const deployment = (replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
`

const files: Record<string, string> = {
  'deployment.yaml': deployment(2),
  'deployment-3.yaml': deployment(3),
  'typo.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
  namespace: default
dataa:
  a: b
`,
  // A CRD as 1.13 takes it: apiextensions.k8s.io/v1beta1, one `version`, a `validation` schema.
  'crd.yaml': `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  version: v1
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec:
          type: object
          description: What the widget should be.
          properties:
            size: {type: string, description: How big.}
`,
  'widget.yaml': `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: default
spec:
  size: big
`,
}

// The columns of a printed table's header and of its row named `name`.
function table(stdout: string, name: string): { header: string[]; row: string[] } {
  const lines = stdout.trim().split('\n')
  const split = (line: string): string[] => line.trim().split(/\s{2,}/)
  const row = lines.find((line) => line.startsWith(`${name} `)) ?? ''
  return { header: split(lines[0] ?? ''), row: split(row) }
}

describe.skipIf(!hasKubectl)('kubectl against the kubernetes-1.13 profile', () => {
  let server: ApiServer
  let kubeconfig: string
  let work: string
  const kubectl = (...args: string[]): Promise<KubectlResult> => runKubectl(kubeconfig, work, args)

  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13' })
    kubeconfig = await server.kubeconfig()
    work = mkdtempSync(join(tmpdir(), 'kubectl-1.13-'))
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text)
  })
  afterAll(async () => {
    await server.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('apply -f creates a Deployment', async () => {
    const result = await kubectl('apply', '-f', join(work, 'deployment.yaml'))
    expect(result).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' })
  })

  it('apply -f refuses an unknown field with kubectl’s own validation error', async () => {
    const result = await kubectl('apply', '-f', join(work, 'typo.yaml'))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'error validating data: ValidationError(ConfigMap): unknown field "dataa" in io.k8s.api.core.v1.ConfigMap',
    )
    expect((await kubectl('get', 'configmap', 'typo')).code).toBe(1)
  })

  it('apply --server-side is refused as a server without server-side apply refuses it', async () => {
    const result = await kubectl('apply', '--server-side', '-f', join(work, 'deployment.yaml'))
    expect(result.code).toBe(1)
    // 1.13's PATCH route consumes no apply type (apiserver installer.go): go-restful's 415.
    expect(result.stderr).toContain('415: Unsupported Media Type')
  })

  it('explain prints a built-in field from the v2 document', async () => {
    const result = await kubectl('explain', 'deployment.spec.replicas')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/FIELD: +replicas <integer>/)
    expect(result.stdout).toContain('Number of desired pods.')
  })

  it('create namespace', async () => {
    expect(await kubectl('create', 'namespace', 'team-a')).toMatchObject({
      code: 0,
      stdout: 'namespace/team-a created\n',
    })
  })

  it('diff shows the change a manifest makes, and no warning', async () => {
    const result = await kubectl('diff', '-f', join(work, 'deployment-3.yaml'))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^- {2}replicas: 2$/m)
    expect(result.stdout).toMatch(/^\+ {2}replicas: 3$/m)
    expect(result.stderr).toBe('')
  })

  it('patch --type strategic merges the container by name', async () => {
    const result = await kubectl(
      'patch',
      'deployment',
      'web',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}',
    )
    expect(result).toMatchObject({ code: 0, stdout: 'deployment.apps/web patched\n', stderr: '' })
  })

  it('edit saves what the editor wrote', async () => {
    const result = await new Promise<KubectlResult>((resolve) => {
      execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), 'edit', 'deployment/web'],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, KUBE_EDITOR: 'sed -i s/replicas:\\ 2/replicas:\\ 4/' },
        },
        (error, stdout, stderr) =>
          resolve({ stdout, stderr, code: error === null ? 0 : (error.code as number) }),
      )
    })
    expect(result).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n' })
    const replicas = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')
    expect(replicas.stdout).toBe('4')
  })

  it('get -o wide prints the Deployment printer’s wide columns', async () => {
    const result = await kubectl('get', 'deployment', '-o', 'wide')
    const { header, row } = table(result.stdout, 'web')
    expect(header).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ])
    expect(row.slice(-3)).toEqual(['web', 'nginx:1.27', 'app=web'])
  })

  it('apply -f again configures the Deployment (a three-way strategic merge patch)', async () => {
    const result = await kubectl('apply', '-f', join(work, 'deployment-3.yaml'))
    expect(result).toMatchObject({ code: 0, stdout: 'deployment.apps/web configured\n' })
    const replicas = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')
    expect(replicas.stdout).toBe('3')
  })

  it('a v1beta1 CRD applied, established, then its custom resource applied and explained', async () => {
    expect(await kubectl('apply', '-f', join(work, 'crd.yaml'))).toMatchObject({
      code: 0,
      stdout: 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
    })
    const waited = await kubectl(
      'wait',
      '--for',
      'condition=established',
      '--timeout=30s',
      'crd/widgets.example.com',
    )
    expect(waited.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n',
    )
    expect(await kubectl('apply', '-f', join(work, 'widget.yaml'))).toMatchObject({
      code: 0,
      stdout: 'widget.example.com/w1 created\n',
    })
    const explained = await kubectl('explain', 'widget.spec')
    expect(explained.code).toBe(0)
    expect(explained.stdout).toContain('What the widget should be.')
    expect(explained.stdout).toMatch(/size\s+<string>\s+How big\./)
    const listed = await kubectl('get', 'widgets', '-o', 'wide')
    expect(table(listed.stdout, 'w1').header).toEqual(['NAME', 'AGE'])
  })
})
