// Every code block of every README, run as a stranger would: in an empty project outside the
// repository that installs the packed tarballs (`scripts/pack.js`, what `npm run pack` writes),
// against the emulated kube-apiserver.
//
// What the project has when a README starts (each README starts from it again, in order):
// - the tarballs installed from `../k8s-codegen/dist-packages` (where a checkout beside the project
//   has them), plus `typescript` and `@types/node` as a TypeScript project has them (TypeScript 7,
//   what `npm install typescript` installs); npm runs with `prefer-offline`, so the one install
//   comes from npm's cache;
// - `tsconfig.json` as the root README's `npx tsc --init --types node` writes it (checked against
//   that command), with `include` keeping the output out of the program;
// - `~/.kube/config` (HOME is the scratch directory) for the emulator, whose contexts `prod` and
//   `kind-dev` — the names the READMEs use for a real cluster — and the current one all point at
//   it;
// - `crds/` and `operator/crds/`, each with a CRD the cluster does not serve (it serves the
//   example.dev Widget and Gadget of the openapi fixture CRDs);
// - `manifests/`, a valid Backup of `crds/` and a valid Deployment, for `validate`;
// - bindings in `src/k8s` and `k8s-codegen.lock.json` from `npx k8s-codegen fetch --out src/k8s`;
// - in the cluster: namespace `web` with a Deployment `api` created as `kubectl create` does
//   (field manager `kubectl-create`), a Service `api` whose port `http` leads to a local HTTP
//   server, and a Widget `w1`.
// Shell blocks run with bash (`set -e`) in the project, in order. TypeScript blocks are written
// to `src/<readme>-<line>.ts` (or to the file their first line names, `// k8s-codegen.config.ts`),
// type-checked together by the project's `tsc`, then run with node in order. A marker right before a block
// changes that: `<!-- readme-test: skip — reason -->`, `typecheck-only — reason`, or `with-client`
// (a fragment that uses the `k8s` client and the kinds of the client README's first example:
// declared before it, closed after it).
import { execFile } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadConnection, type Connection } from '@k8s-codegen/cluster'
import { recordedProfileDir, startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { readmeBlocks, type ReadmeBlock } from '../src/readme-blocks.js'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>
}
const readmes = [
  { path: 'README.md', slug: 'root' },
  ...readdirSync(join(repoRoot, 'packages'))
    .sort()
    .map((name) => ({ path: `packages/${name}/README.md`, slug: name })),
].map((readme) => ({
  ...readme,
  blocks: readmeBlocks(readFileSync(join(repoRoot, readme.path), 'utf8')),
}))

const preludes: Record<string, { before: string; after: string }> = {
  'with-client': {
    before: [
      "import { createClient } from '@k8s-codegen/client'",
      "import { Deployment } from './k8s/apps/v1.js'",
      "import { ConfigMap, Pod, Service } from './k8s/core/v1.js'",
      '',
      "const k8s = await createClient({ context: 'prod', fieldManager: 'my-app' })",
      'try {',
      '',
    ].join('\n'),
    after: '\n} finally {\n  await k8s.close()\n}\n',
  },
}

// CRDs the emulator does not serve (it serves example.dev, the openapi fixture CRDs): `crds/` for
// `generate --crds ./crds`, `operator/crds/` for `fetch --crds operator/crds`.
const crd = (group: string, kind: string): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${kind.toLowerCase()}s.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { plural: ${kind.toLowerCase()}s, singular: ${kind.toLowerCase()}, kind: ${kind} }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                schedule: { type: string }
`

// What `validate ./manifests --crds ./crds` checks: a custom resource of `crds/` and a built-in
// kind the lockfile's cluster documents describe.
const manifests = `apiVersion: backup.example.dev/v1
kind: Backup
metadata: { name: nightly, namespace: web }
spec: { schedule: '0 3 * * *' }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx }]
`

// What a stranger's TypeScript project compiles with: the root README's `npx tsc --init --types
// node` (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax,
// nodenext; a test below runs that command and compares).
const projectTsconfig = {
  compilerOptions: {
    module: 'nodenext',
    target: 'esnext',
    types: ['node'],
    sourceMap: true,
    declaration: true,
    declarationMap: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    strict: true,
    jsx: 'react-jsx',
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noUncheckedSideEffectImports: true,
    moduleDetection: 'force',
    skipLibCheck: true,
  },
  include: ['src/*.ts', '*.ts'],
}
// The TypeScript the project installs: TypeScript 7, as `npm install typescript` does today.
const projectTypescript = (
  JSON.parse(readFileSync(join(repoRoot, 'test', 'repo', 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>
  }
).devDependencies['typescript-7']?.replace(/^npm:/, '')

interface Ran {
  code: number
  output: string
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env, maxBuffer: 64 << 20, timeout: 240_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          output: `${stdout}${stderr}`,
        }),
    )
  })
}

const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn(
    'README examples: SKIPPED — ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR); the examples import example.dev/v1, which only the recorded profile publishes in OpenAPI v3',
  )

describe.skipIf(recorded === undefined)('README code blocks, outside the repository', () => {
  let scratch = ''
  let project = ''
  let env: NodeJS.ProcessEnv = {}
  let server: ApiServer | undefined
  let connection: Connection | undefined
  let backend: Server | undefined
  let backendPort = 0

  const inProject = async (command: string, args: string[]): Promise<Ran> =>
    run(command, args, project, env)
  const mustRun = async (command: string, args: string[]): Promise<void> => {
    const ran = await inProject(command, args)
    if (ran.code !== 0)
      throw new Error(`${command} ${args.join(' ')} exited ${ran.code}:\n${ran.output}`)
  }

  // Create `body` at `collection`; `replace` deletes an existing one first, else it stays.
  const seed = async (collection: string, body: object, replace = false): Promise<void> => {
    if (connection === undefined) throw new Error('no connection')
    const name = (body as { metadata: { name: string } }).metadata.name
    if (replace) {
      const deleted = await connection.send(`${collection}/${name}`, { method: 'DELETE' })
      if (deleted.status !== 200 && deleted.status !== 404)
        throw new Error(`DELETE ${collection}/${name}: ${deleted.status}`)
    }
    const created = await connection.send(collection, {
      method: 'POST',
      body: JSON.stringify(body),
      contentType: 'application/json',
    })
    if (created.status !== 201 && created.status !== 409)
      throw new Error(
        `POST ${collection}: ${created.status} ${Buffer.from(created.body).toString()}`,
      )
  }

  const seedCluster = async (): Promise<void> => {
    await seed('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'web' },
    })
    const labels = { app: 'api' }
    await seed(
      '/apis/apps/v1/namespaces/web/deployments?fieldManager=kubectl-create',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'web', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: 'nginx' }] },
          },
        },
      },
      true,
    )
    await seed('/api/v1/namespaces/web/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'web' },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    })
    await seed(
      '/api/v1/namespaces/web/endpoints',
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'api', namespace: 'web' },
        subsets: [
          { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port: backendPort }] },
        ],
      },
      true,
    )
    await seed(
      '/apis/example.dev/v1/namespaces/web/widgets',
      {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w1', namespace: 'web' },
        spec: { size: '1Gi', replicas: 1 },
      },
      true,
    )
  }

  // Back to what every README starts from: the install stays, everything else is laid out again.
  const resetProject = (): void => {
    const kept = new Set(['node_modules', 'package.json', 'package-lock.json'])
    for (const entry of readdirSync(project))
      if (!kept.has(entry)) rmSync(join(project, entry), { recursive: true, force: true })
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(projectTsconfig, null, 2))
    mkdirSync(join(project, 'crds'))
    writeFileSync(join(project, 'crds', 'backups.yaml'), crd('backup.example.dev', 'Backup'))
    mkdirSync(join(project, 'operator', 'crds'), { recursive: true })
    writeFileSync(
      join(project, 'operator', 'crds', 'databases.yaml'),
      crd('db.example.dev', 'Database'),
    )
    mkdirSync(join(project, 'manifests'))
    writeFileSync(join(project, 'manifests', 'app.yaml'), manifests)
    cpSync(join(scratch, 'bindings'), project, { recursive: true })
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'k8s-codegen-readme-'))
    project = join(scratch, 'app')
    const home = join(scratch, 'home')
    mkdirSync(project)
    mkdirSync(join(home, '.kube'), { recursive: true })

    // npm's cache as the user has it, so the install works offline from what `npm ci` fetched.
    const cache = await run('npm', ['config', 'get', 'cache'], repoRoot, process.env)
    env = {
      PATH: process.env['PATH'],
      ...(process.env['TMPDIR'] !== undefined && { TMPDIR: process.env['TMPDIR'] }),
      HOME: home,
      NO_COLOR: '1',
      npm_config_cache: cache.output.trim(),
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    }

    const packed = await run(
      process.execPath,
      [
        join(repoRoot, 'scripts', 'pack.js'),
        '--out-dir',
        join(scratch, 'k8s-codegen', 'dist-packages'),
      ],
      repoRoot,
      process.env,
    )
    if (packed.code !== 0)
      throw new Error(`scripts/pack.js exited ${packed.code}:\n${packed.output}`)

    backend = createServer((request, response) => {
      response.setHeader('content-type', 'text/plain')
      response.end(`ok ${request.url ?? ''}\n`)
    })
    await new Promise<void>((resolve) => backend?.listen(0, '127.0.0.1', resolve))
    backendPort = (backend.address() as AddressInfo).port

    server = await startApiServer({
      profile: 'recorded',
      crds: [join(repoRoot, 'packages', 'openapi', 'test', 'fixtures', 'crds')],
    })
    const kubeconfigPath = join(home, '.kube', 'config')
    const kubeconfig = JSON.parse(readFileSync(await server.kubeconfig(), 'utf8')) as {
      contexts: { name: string; context: object }[]
    }
    const [emulator] = kubeconfig.contexts
    if (emulator === undefined) throw new Error('the emulator kubeconfig has no context')
    kubeconfig.contexts.push(
      { name: 'prod', context: emulator.context },
      { name: 'kind-dev', context: emulator.context },
    )
    writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig, null, 2), { mode: 0o600 })
    connection = await loadConnection({ kubeconfig: kubeconfigPath })

    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2),
    )
    const tarballs = readdirSync(join(scratch, 'k8s-codegen', 'dist-packages')).map((file) =>
      join('..', 'k8s-codegen', 'dist-packages', file),
    )
    await mustRun('npm', [
      'install',
      ...tarballs,
      projectTypescript ?? 'typescript',
      `@types/node@${rootManifest.devDependencies['@types/node'] ?? ''}`,
    ])
    await mustRun('npx', ['k8s-codegen', 'fetch', '--out', 'src/k8s'])
    mkdirSync(join(scratch, 'bindings'))
    for (const entry of ['src', 'k8s-codegen.lock.json'])
      cpSync(join(project, entry), join(scratch, 'bindings', entry), { recursive: true })
  }, 600_000)

  afterAll(async () => {
    await connection?.close()
    await server?.close()
    backend?.closeAllConnections()
    await new Promise((resolve) => backend?.close(resolve) ?? resolve(undefined))
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
  })

  it("has the tsconfig.json that the root README's `npx tsc --init --types node` writes", async () => {
    const dir = join(scratch, 'tsc-init')
    mkdirSync(dir)
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc')
    const ran = await run(process.execPath, [tsc, '--init', '--types', 'node'], dir, env)
    expect(ran.code, ran.output).toBe(0)
    const written = ts.parseConfigFileTextToJson(
      'tsconfig.json',
      readFileSync(join(dir, 'tsconfig.json'), 'utf8'),
    )
    expect(written.config).toEqual({ compilerOptions: projectTsconfig.compilerOptions })
  })

  for (const readme of readmes) {
    describe(readme.path, () => {
      const typescript = readme.blocks.filter(
        (b): b is ReadmeBlock & { language: 'typescript' } =>
          b.language === 'typescript' && b.mode !== 'skip',
      )
      const sourceOf = (block: ReadmeBlock): string =>
        block.file ?? join('src', `${readme.slug}-${block.line}.ts`)

      beforeAll(async () => {
        resetProject()
        await seedCluster()
      }, 120_000)

      for (const block of readme.blocks) {
        const name = `${readme.path}:${block.line} (${block.language})`
        if (block.mode === 'skip') {
          it.skip(`${name} — ${block.reason ?? 'not code'}`, () => {})
        } else if (block.language === 'shell') {
          it(`${name} runs`, async () => {
            const ran = await inProject('bash', ['-e', '-o', 'pipefail', '-c', block.code])
            expect(ran.code, ran.output).toBe(0)
          })
        } else {
          // Written in document order, so a file a later shell block reads (a config) is there.
          it(`${name} is written to ${sourceOf(block)}`, () => {
            const prelude = block.prelude === undefined ? undefined : preludes[block.prelude]
            const source = `${prelude?.before ?? ''}${block.code}\n${prelude?.after ?? ''}`
            mkdirSync(dirname(join(project, sourceOf(block))), { recursive: true })
            writeFileSync(join(project, sourceOf(block)), source)
          })
        }
      }

      if (typescript.length > 0) {
        it(`type-checks its ${typescript.length} TypeScript blocks`, async () => {
          const checked = await inProject('npx', ['tsc', '-p', 'tsconfig.json'])
          expect(checked.code, checked.output).toBe(0)
        })
        for (const block of typescript) {
          const name = `${readme.path}:${block.line} (typescript)`
          if (block.mode === 'typecheck-only') {
            it.skip(`${name} runs — typecheck-only: ${block.reason ?? ''}`, () => {})
            continue
          }
          it(`${name} runs`, async () => {
            const ran = await inProject(process.execPath, [sourceOf(block).replace(/\.ts$/, '.js')])
            expect(ran.code, ran.output).toBe(0)
          })
        }
      }
    })
  }
})
