import { readdirSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startSocks5Proxy } from '../../cluster/test/helpers/socks5-proxy.js'
import { runCli } from './_cli.js'

// A run that generates nothing loads nothing that only generating needs: the TypeScript
// compiler (and any printer or formatter), the emitter, a YAML parser. Each run below is the
// built CLI with a loader hook that logs every module it loads; the assertion is on that graph,
// never on a timing.
const RECORDER = fileURLToPath(new URL('fixtures/module-graph/record.mjs', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
// Nor what only `validate` needs: the shipped built-in schemas (outside the bundle), the
// validation library and the CEL engine (bundled: their chunks are found by the path comment
// esbuild writes before each module it bundles).
const CHUNKS = fileURLToPath(new URL('../dist/chunks/', import.meta.url))
const chunksHolding = (module: RegExp): RegExp[] =>
  readdirSync(CHUNKS)
    .filter((name) => module.test(readFileSync(join(CHUNKS, name), 'utf8')))
    .map((name) => new RegExp(`/chunks/${name.replaceAll('.', '\\.')}$`))
const VALIDATION_CHUNKS = chunksHolding(/^\/\/ \.\.\/validation\/dist\//m)
const CEL_CHUNKS = chunksHolding(/^\/\/ [./]*node_modules\/@bufbuild\/cel\//m)
// The CRD YAML reader (openapi's yaml-load.ts: its fast path and js-yaml) is one lazy chunk.
const YAML_PARSER = /\/chunks\/yaml-load-[^/]*\.js$/
// Nor the print pool that generating on several threads starts, nor its worker.
const PRINT_POOL = [
  /\/cli\/dist\/generation-worker\.js$/,
  ...chunksHolding(/^\/\/ src\/(print-pool|generation-worker)\.ts$/m),
]
const HEAVY = [
  /\/node_modules\/(typescript|ts-morph|openapi-typescript|prettier|yaml|js-yaml)\//,
  YAML_PARSER,
  ...PRINT_POOL,
  /\/codegen\/dist\/emit-output\.js$/,
  /\/kube-schemas\/dist\//,
  /\/node_modules\/@bufbuild\/cel\//,
  ...VALIDATION_CHUNKS,
  ...CEL_CHUNKS,
]

let dir: string
let server: ApiServer
let kubeconfig: string
let runs = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-module-graph-'))
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  server = await startApiServer({ exampleCrds: true })
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

// The CLI is one bundle split into chunks: a package inside a chunk is named by the path comment
// esbuild writes above each module (`// ../../node_modules/undici/lib/…`).
const BUNDLED_MODULE = /^\/\/ (?:\.\.\/)+(?:[^/\n]+\/)*node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm

/** The packages bundled in the CLI chunks among `urls`. */
async function bundledPackages(urls: string[]): Promise<string[]> {
  const packages = new Set<string>()
  for (const url of urls.filter((u) => u.includes('/cli/dist/'))) {
    const text = await readFile(fileURLToPath(url), 'utf8')
    for (const match of text.matchAll(BUNDLED_MODULE)) packages.add(match[1] as string)
  }
  return [...packages].sort()
}

/** Runs the CLI in `dir` and returns the heavy modules it loaded (and its stdout). */
async function heavyModules(
  args: string[],
): Promise<{ heavy: string[]; stdout: string; loaded: string[] }> {
  const log = join(dir, `modules-${runs++}.log`)
  const run = await runCli(args, {
    cwd: dir,
    env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache'), K8S_CODEGEN_MODULE_LOG: log },
    nodeArgs: ['--import', RECORDER],
    timeoutMs: 120_000,
  })
  expect(run.code, run.stderr).toBe(0)
  const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean)
  // The log holds the CLI itself: the hook saw the run.
  expect(loaded.some((url) => url.endsWith('/cli/dist/bin.js'))).toBe(true)
  return {
    heavy: loaded.filter((url) => HEAVY.some((re) => re.test(url))),
    stdout: run.stdout,
    loaded,
  }
}

describe('modules a run loads', { timeout: 300_000 }, () => {
  const fetchArgs = ['fetch', '--kubeconfig', '', '--out', 'cluster/k8s']
  const crdArgs = ['--crds', 'crds', '--out', 'crds-out/k8s', '--lockfile', 'crds.lock.json']

  // The emitter writes TypeScript as text: only `--emit js` loads the compiler, to transpile.
  it('a cold fetch and a cold generate --crds load the emitter and a YAML parser, --emit js the compiler (the hook sees them)', async () => {
    fetchArgs[2] = kubeconfig
    const emitter = /\/codegen\/dist\/emit-output\.js$/
    const fetched = await heavyModules(fetchArgs)
    expect(fetched.heavy.some((url) => emitter.test(url))).toBe(true)
    expect(fetched.heavy.some((url) => url.includes('/typescript/'))).toBe(false)
    const generated = await heavyModules(['generate', ...crdArgs])
    expect(generated.heavy.some((url) => emitter.test(url))).toBe(true)
    expect(generated.heavy.some((url) => url.includes('/typescript/'))).toBe(false)
    expect(generated.heavy.some((url) => YAML_PARSER.test(url))).toBe(true)
    // After it: the CRDs' conversion is cached, no YAML is read again.
    const jsArgs = ['--crds', 'crds', '--out', 'crds-js/k8s', '--lockfile', 'crds-js.lock.json']
    const js = await heavyModules(['generate', ...jsArgs, '--emit', 'js'])
    expect(js.heavy.some((url) => url.includes('/typescript/'))).toBe(true)
    // The worker's entry and the chunk of the pool that starts it are found to be looked for.
    expect(PRINT_POOL).toHaveLength(2)
  })

  it('validate loads the shipped schemas, the validation library and the CEL engine (the hook sees them)', async () => {
    expect([VALIDATION_CHUNKS.length, CEL_CHUNKS.length]).toEqual([1, 1])
    await writeFile(
      join(dir, 'service.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
    )
    const { heavy, stdout } = await heavyModules([
      'validate',
      'service.yaml',
      '--lockfile',
      'absent.lock.json',
    ])
    expect(stdout).toMatch(/1 valid/)
    for (const module of [/\/kube-schemas\/dist\//, ...VALIDATION_CHUNKS, ...CEL_CHUNKS])
      expect(
        heavy.some((url) => module.test(url)),
        String(module),
      ).toBe(true)
  })

  const rows: { given: string; args: () => string[]; want: RegExp }[] = [
    { given: 'a warm fetch', args: () => fetchArgs, want: /up to date/ },
    {
      given: 'a no-op generate',
      args: () => ['generate', '--out', 'cluster/k8s'],
      want: /up to date/,
    },
    { given: 'check', args: () => ['check', '--out', 'cluster/k8s'], want: /up to date/ },
    { given: 'a no-op generate --crds', args: () => ['generate', ...crdArgs], want: /up to date/ },
    { given: 'check --crds', args: () => ['check', ...crdArgs], want: /up to date/ },
  ]
  it.each(rows)('$given loads none of them', async ({ args, want }) => {
    const { heavy, stdout } = await heavyModules(args())
    expect(stdout).toMatch(want)
    expect(heavy).toEqual([])
  })

  // What only talking to a cluster needs (the HTTP client, its SOCKS support, the kubeconfig's
  // YAML parser), bundled into the CLI, and Node's HTTP and sockets under it: a run that talks to
  // no cluster loads none of it.
  const CLUSTER_STACK = ['ip-address', 'smart-buffer', 'socks', 'undici', 'yaml']
  // (node:net is not among them: a piped stdout is a socket.)
  const NODE_NETWORK = ['node:http', 'node:https', 'node:http2', 'node:tls']
  // Built-ins the cluster client loads only when first needed: an HTTP/2 connection (undici's
  // HTTP/2 client, built to load node:http2 on its first connection) and an exec plugin.
  const LOADED_WHEN_NEEDED = ['node:http2', 'node:child_process']
  const offline: { given: string; args: () => string[]; want: RegExp }[] = [
    { given: '--version', args: () => ['--version'], want: /^\d+\.\d+\.\d+/ },
    { given: '--help', args: () => ['--help'], want: /Commands:/ },
    rows[1] as (typeof rows)[number],
    rows[2] as (typeof rows)[number],
  ]
  it.each(offline)('$given loads no HTTP client or YAML parser', async ({ args, want }) => {
    const { loaded, stdout } = await heavyModules(args())
    expect(stdout).toMatch(want)
    const bundled = await bundledPackages(loaded)
    // The bundle comments are there to read: the CLI's own argument parser is found.
    expect(bundled).toContain('yargs')
    expect(bundled.filter((name) => CLUSTER_STACK.includes(name))).toEqual([])
    // Node's built-ins are logged too: the ones every start needs are found.
    expect(loaded).toContain('node:fs')
    expect(loaded.filter((url) => NODE_NETWORK.includes(url))).toEqual([])
  })

  // The CLI bundles openapi and proxy-url; codegen stays outside the bundle. A run the
  // generation record answers needs of codegen only its generator id, from its own module: not
  // the codegen index (the generator's modules, and through them a second copy of openapi's and
  // proxy-url's, ~17 ms).
  it.each([rows[0], rows[1]] as (typeof rows)[number][])(
    '$given loads of codegen only its generator id, and openapi once',
    async ({ args }) => {
      const { loaded } = await heavyModules(args())
      const unbundled = loaded
        .filter((url) => /\/(codegen|openapi|proxy-url)\/dist\//.test(url))
        .map((url) => url.replace(/.*\/packages\//, ''))
      expect(unbundled).toEqual(['codegen/dist/generator-id.js'])
    },
  )

  it('a warm fetch without a proxy loads no SOCKS client', async () => {
    const { loaded } = await heavyModules(fetchArgs)
    const bundled = await bundledPackages(loaded)
    expect(bundled).toContain('undici')
    expect(
      bundled.filter((name) => ['ip-address', 'smart-buffer', 'socks'].includes(name)),
    ).toEqual([])
  })

  // Everything a warm fetch loads of the CLI, by the packages bundled in it: the argument parser,
  // the locks and the cluster client run from their code-cached scripts (src/code-cache.ts), in
  // no chunk the module loader reads; the chunks add the config file's path helpers and the
  // command-name suggestions. A package added to this path is a start-up cost: add it knowingly.
  it('a warm fetch loads the code-cached argument parser, locks and cluster client', async () => {
    fetchArgs[2] = kubeconfig
    await heavyModules(fetchArgs)
    const { loaded, stdout } = await heavyModules(fetchArgs)
    expect(stdout).toMatch(/up to date/)
    const scripts = new Map(
      loaded
        .filter((url) => url.endsWith('.cjs'))
        .map((url) => [url.replace(/.*\/cli\/dist\/chunks\//, ''), url]),
    )
    expect([...scripts.keys()].sort()).toEqual(['cluster.cjs', 'proper-lockfile.cjs', 'yargs.cjs'])
    const packagesOf = (script: string) => bundledPackages([scripts.get(script) as string])
    expect(await packagesOf('yargs.cjs')).toEqual([
      'ansi-regex',
      'ansi-styles',
      'cliui',
      'escalade',
      'get-caller-file',
      'get-east-asian-width',
      'string-width',
      'strip-ansi',
      'wrap-ansi',
      'y18n',
      'yargs',
      'yargs-parser',
    ])
    expect(await packagesOf('proper-lockfile.cjs')).toEqual([
      'graceful-fs',
      'proper-lockfile',
      'retry',
      'signal-exit',
    ])
    expect(await packagesOf('cluster.cjs')).toEqual(['undici', 'yaml'])
    const modules = loaded.filter((url) => /\/cli\/dist\/.*\.js$/.test(url))
    expect(await bundledPackages(modules)).toEqual(['env-paths', 'leven'])
    // Nor what only an HTTP/2 connection (never asked for) or an exec plugin needs.
    expect(loaded.filter((url) => LOADED_WHEN_NEEDED.includes(url))).toEqual([])
    // Nor the modules that only a generation the record does not answer needs: writing --out
    // (write-output) and the CRD step (crds-step).
    const generating = chunksHolding(/^\/\/ src\/(write-output|crds-step)\.ts$/m)
    expect(generating).toHaveLength(2)
    expect(loaded.filter((url) => generating.some((chunk) => chunk.test(url)))).toEqual([])
  })

  // An exec plugin's kubeconfig loads child_process when the plugin first runs, from the
  // code-cached cluster client, and authenticates with the credential it prints.
  it('a fetch whose kubeconfig runs an exec plugin loads child_process and fetches with its token', async () => {
    const config = JSON.parse(await readFile(kubeconfig, 'utf8')) as {
      users: { user: Record<string, unknown> }[]
    }
    const plugin = join(dir, 'exec-plugin.mjs')
    for (const { user } of config.users) {
      const credential = {
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: user.token },
      }
      await writeFile(
        plugin,
        `process.stdout.write(${JSON.stringify(JSON.stringify(credential))})\n`,
      )
      delete user.token
      user.exec = {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
        interactiveMode: 'Never',
      }
    }
    const execConfig = join(dir, 'exec-kubeconfig')
    await writeFile(execConfig, JSON.stringify(config))
    const { loaded, stdout } = await heavyModules([
      'fetch',
      '--kubeconfig',
      execConfig,
      '--no-generate',
      '--lockfile',
      'exec.lock.json',
    ])
    expect(stdout).toMatch(/requests/)
    expect(loaded).toContain('node:child_process')
    expect(loaded).not.toContain('node:http2')
  })

  // The SOCKS client is a script of its own beside the cluster client's, required on the first
  // dial through a SOCKS5 proxy.
  it('a fetch through a SOCKS5 proxy loads the SOCKS client and fetches through it', async () => {
    const proxy = await startSocks5Proxy((host) => host)
    try {
      const config = JSON.parse(await readFile(kubeconfig, 'utf8')) as {
        clusters: { cluster: Record<string, unknown> }[]
      }
      for (const { cluster } of config.clusters) cluster['proxy-url'] = proxy.url
      const proxied = join(dir, 'socks-kubeconfig')
      await writeFile(proxied, JSON.stringify(config))
      const { loaded, stdout } = await heavyModules([
        'fetch',
        '--kubeconfig',
        proxied,
        '--no-generate',
        '--lockfile',
        'socks.lock.json',
      ])
      expect(stdout).toMatch(/requests/)
      expect(proxy.targets.length).toBeGreaterThan(0)
      const socks = loaded.filter((url) => url.endsWith('/cli/dist/chunks/socks.cjs'))
      expect(socks).toHaveLength(1)
      expect(await bundledPackages(socks)).toEqual(['ip-address', 'smart-buffer', 'socks'])
    } finally {
      await proxy.close()
    }
  })

  // A CRD set joined to the cluster's lockfile: its conversion is found again by the lockfile's
  // other sources, so re-locking the unchanged set reads no YAML either.
  it('a no-op generate --crds and generate joined to a fetched lockfile load none of them', async () => {
    await mkdir(join(dir, 'backup-crds'))
    await writeFile(join(dir, 'backup-crds', 'backups.yaml'), BACKUP_CRD)
    const joined = ['--out', 'joined/k8s', '--lockfile', 'joined.lock.json']
    await heavyModules(['fetch', '--kubeconfig', kubeconfig, ...joined])
    const cold = await heavyModules(['generate', '--crds', 'backup-crds', ...joined])
    expect(cold.heavy.some((url) => YAML_PARSER.test(url))).toBe(true)
    for (const args of [
      ['generate', '--crds', 'backup-crds', ...joined],
      ['generate', ...joined],
    ]) {
      const { heavy, stdout } = await heavyModules(args)
      expect(stdout).toMatch(/up to date/)
      expect(heavy).toEqual([])
    }
  })
})

const BACKUP_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.backup.example.io
spec:
  group: backup.example.io
  scope: Namespaced
  names: { plural: backups, singular: backup, kind: Backup, listKind: BackupList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { schedule: { type: string } } }
`
