import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClusterError } from '@k8s-codegen/cluster'
import { OpenApiError } from '@k8s-codegen/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exitCodeFor } from '../src/exit-codes.js'
import { runCli } from './_cli.js'

let dir: string
let kubeconfig: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-'))
  kubeconfig = join(dir, 'kubeconfig')
  // A kubeconfig pointing at a server with a path prefix; no command below contacts it.
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: dev',
      'clusters: [{ name: c, cluster: { server: "https://rancher.example/k8s/clusters/c-1" } }]',
      'users: [{ name: u, user: { token: "tok-s3cr3t" } }]',
      'contexts: [{ name: dev, context: { cluster: c, user: u, namespace: tools } }]',
      '',
    ].join('\n'),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('exitCodeFor', () => {
  it.each([
    { given: new OpenApiError('K8S_CODEGEN_OPENAPI_HASH_MISMATCH', 'x'), want: 4 },
    { given: new OpenApiError('K8S_CODEGEN_OPENAPI_ROOT_INVALID', 'x'), want: 4 },
    { given: new OpenApiError('K8S_CODEGEN_OPENAPI_NOT_SERVED', 'x'), want: 2 },
    { given: new OpenApiError('K8S_CODEGEN_OPENAPI_WRITE_FAILED', 'x'), want: 1 },
    { given: new OpenApiError('K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID', 'x'), want: 1 },
    { given: new ClusterError('K8S_CODEGEN_CLUSTER_TLS', 'x'), want: 2 },
    { given: new ClusterError('K8S_CODEGEN_CLUSTER_FORBIDDEN', 'x'), want: 2 },
    { given: new ClusterError('K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND', 'x'), want: 1 },
    { given: new Error('a bug'), want: 1 },
  ])('$given.code → $want', ({ given, want }) => {
    expect(exitCodeFor(given)).toBe(want)
  })
})

describe('k8s-codegen', () => {
  it('prints its version', async () => {
    const run = await runCli(['--version'])
    expect(run).toMatchObject({ code: 0, stdout: '0.1.0\n' })
  })

  it.each([{ given: 'fetch' }, { given: 'connection' }, { given: 'proxy-url' }])(
    '$given --help shows examples and exit codes',
    async ({ given }) => {
      const run = await runCli([given, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('Examples:')
      expect(run.stdout).toContain('Exit codes')
      expect(run.stdout).toContain('--kubeconfig')
    },
  )

  it.each([
    { given: 'fetch', want: false },
    { given: 'generate', want: true },
    { given: 'check', want: true },
  ])('$given --help lists --base: $want', async ({ given, want }) => {
    const run = await runCli([given, '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout.includes('--base')).toBe(want)
  })

  it('documents every exit code in fetch --help', async () => {
    const run = await runCli(['fetch', '--help'])
    for (const line of [
      '0  success',
      '1  usage',
      '2  connection',
      '3  partial',
      '4  verification',
    ]) {
      expect(run.stdout).toContain(line)
    }
  })

  it.each([
    { given: [], want: 'give a command' },
    { given: ['fetch', '--bogus'], want: 'Unknown argument: --bogus' },
    // fetch --crds joins the CRDs to the fetched lockfile; --base is generate's and check's.
    {
      given: ['fetch', '--crds', 'crds', '--base', 'k8s-codegen.lock.json'],
      want: 'Unknown argument: --base',
    },
    { given: ['fetch', '--openapi', 'v4'], want: 'Invalid values' },
    {
      given: ['fetch', '--concurrency', '0'],
      want: '--concurrency must be an integer from 1 to 64',
    },
    { given: ['proxy-url', 'deployment/x'], want: "target 'deployment/x' must be service/<name>" },
  ])('usage error $given → exit 1 naming the problem', async ({ given, want }) => {
    const run = await runCli(given.length === 0 ? [] : [...given, '--kubeconfig', kubeconfig])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(want)
    expect(run.stdout).toBe('')
  })

  it('connection shows the resolved, redacted connection without contacting the server', async () => {
    const run = await runCli(['connection', '--kubeconfig', kubeconfig, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      context: 'dev',
      server: 'https://rancher.example/k8s/clusters/c-1',
      namespace: 'tools',
      authMethod: 'token',
    })
    expect(run.stdout).not.toContain('s3cr3t')
    const text = await runCli(['connection', '--kubeconfig', kubeconfig, '-n', 'other'])
    expect(text.stdout).toMatch(/namespace:\s+other/)
  })

  it('connection with a missing kubeconfig is a config error (exit 1)', async () => {
    const run = await runCli(['connection', '--kubeconfig', join(dir, 'missing')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND')
  })

  it.each([
    {
      given: [
        'service/elasticsearch-logging',
        '-n',
        'kube-system',
        '--scheme',
        'https',
        '--port',
        '9200',
        '--path',
        '_search',
        '--query',
        'q=user:kimchy',
      ],
      want: 'https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/kube-system/services/https:elasticsearch-logging:9200/proxy/_search?q=user%3Akimchy\n',
    },
    {
      given: ['pod/web-0', '--port', '8080', '--path', 'metrics'],
      want: 'https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/tools/pods/web-0:8080/proxy/metrics\n',
    },
    {
      given: ['node/n1', '--port', '10250'],
      want: 'https://rancher.example/k8s/clusters/c-1/api/v1/nodes/n1:10250/proxy/\n',
    },
  ])('proxy-url $given', async ({ given, want }) => {
    const run = await runCli(['proxy-url', '--kubeconfig', kubeconfig, ...given])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe(want)
  })

  it('proxy-url --parse explains a URL; a URL escaping /proxy/ is refused', async () => {
    const run = await runCli([
      'proxy-url',
      '--json',
      '--parse',
      'https://10.0.0.1/api/v1/namespaces/default/pods/web-0:8080/proxy/metrics?x=1',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      exitCode: 0,
      error: null,
      server: 'https://10.0.0.1',
      kind: 'pod',
      namespace: 'default',
      name: 'web-0',
      port: '8080',
      path: 'metrics',
      query: 'x=1',
    })
    const bad = await runCli([
      'proxy-url',
      '--parse',
      'https://10.0.0.1/api/v1/namespaces/default/pods/web-0/proxy/../../../secrets',
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('K8S_CODEGEN_PROXY')
  })
})
