// Issue 9: generated code is safe to import from any cluster. The built `k8s-codegen fetch` runs
// against a small server (./_hostile-cluster.ts) that serves, next to ordinary group-versions,
// every hostile or merely unusual case a real cluster can serve: code in schema names, package
// parts, kinds and groups (kube-aggregator passes an aggregated server's documents through as
// they are), legal kinds and groups that are not identifiers, a CRD shadowing a built-in schema,
// `constructor`/`__proto__` names, case-only collisions, a dangling $ref and a schema nested
// 300 deep. The output must type-check without `@ts-nocheck`, import without running anything,
// stay inside --out, and one bad group-version must leave every other one generated.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runCli, type CliRun } from './_cli.js'
import {
  defaultSchemaName,
  groupVersionDocument,
  ref,
  startHostileServer,
  type GroupVersionSpec,
  type HostileServer,
  type JsonObject,
} from './_hostile-cluster.js'

const require = createRequire(import.meta.url)
const tsc = require.resolve('typescript/bin/tsc')

// Each payload, if it ever runs, writes `$HOSTILE_CANARY-<tag>` and sets a global. No '/' in it,
// so a `$ref` to a schema carrying it stays a valid JSON pointer.
const payload = (tag: string): string =>
  `;(globalThis as any).hostile_${tag} = 1; globalThis.process.getBuiltinModule('node:fs').writeFileSync(globalThis.process.env.HOSTILE_CANARY + '-${tag}', '${tag}');`

type Want = 'generated' | 'skipped' | 'generated-or-skipped'

interface Case {
  /** What the row proves, used in every assertion message. */
  name: string
  gv: GroupVersionSpec
  /** `generated`: its module is in the output; `skipped`: a warning names it and `rule`. */
  want: Want
  rule?: RegExp
  /** Kinds whose descriptors the module must export (checked after importing the output). */
  kinds?: string[]
}

const labelSelector = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'
const objectSpec = (properties: JsonObject, required?: string[]): JsonObject => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
})
const nested = (depth: number): JsonObject =>
  depth === 0 ? { type: 'string' } : objectSpec({ next: nested(depth - 1) })

const cases: Case[] = [
  {
    name: 'core/v1 with a proxied Service',
    want: 'generated',
    kinds: ['Service'],
    gv: {
      group: '',
      version: 'v1',
      kinds: [
        {
          kind: 'Service',
          plural: 'services',
          proxy: true,
          spec: objectSpec({
            selector: { type: 'object', additionalProperties: { type: 'string' } },
            type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
          }),
        },
      ],
    },
  },
  {
    name: 'the built-in apps/v1 Deployment',
    want: 'generated',
    kinds: ['Deployment'],
    gv: {
      group: 'apps',
      version: 'v1',
      kinds: [
        {
          kind: 'Deployment',
          plural: 'deployments',
          schemaName: 'io.k8s.api.apps.v1.Deployment',
          spec: objectSpec(
            {
              replicas: { type: 'integer', format: 'int32' },
              selector: ref(labelSelector),
              template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
            ['selector', 'template'],
          ),
        },
      ],
      schemas: {
        [labelSelector]: objectSpec({
          matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
        }),
      },
    },
  },
  {
    name: 'a good CRD group-version',
    want: 'generated',
    kinds: ['Widget'],
    gv: {
      group: 'good.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Widget',
          plural: 'widgets',
          spec: objectSpec({
            replicas: { type: 'integer', minimum: 0 },
            size: {
              'x-kubernetes-int-or-string': true,
              anyOf: [{ type: 'integer' }, { type: 'string' }],
            },
          }),
        },
      ],
    },
  },
  {
    name: 'code injection through a schema name',
    want: 'generated-or-skipped',
    gv: {
      group: 'evil.example',
      version: 'v1',
      kinds: [
        {
          kind: 'Harmless',
          plural: 'harmlesses',
          spec: objectSpec({
            x: ref(`example.evil.v1.X {}\n${payload('schema')}\nexport interface Y`),
          }),
        },
      ],
      schemas: {
        [`example.evil.v1.X {}\n${payload('schema')}\nexport interface Y`]: objectSpec({}),
      },
    },
  },
  {
    name: "code injection through a schema name's package part (index.ts `from '…'`)",
    want: 'generated-or-skipped',
    gv: {
      group: 'evil-package.example',
      version: 'v1',
      kinds: [
        {
          kind: 'Harmless',
          plural: 'harmlesses',
          spec: objectSpec({ x: ref(`example.evil';\n${payload('package')}\nimport 'x.v1.Thing`) }),
        },
      ],
      schemas: {
        [`example.evil';\n${payload('package')}\nimport 'x.v1.Thing`]: objectSpec({}),
      },
    },
  },
  {
    name: 'code injection through a kind (`export const ${kind}`)',
    want: 'generated-or-skipped',
    gv: {
      group: 'evil-kind.example',
      version: 'v1',
      kinds: [
        {
          kind: `X = {} as never\n${payload('kind')}\nexport const Y`,
          plural: 'xs',
          schemaName: 'example.evil-kind.v1.X',
        },
      ],
    },
  },
  {
    name: 'code injection through a group id (`export * as ${id}`, via x-kubernetes-group-version-kind)',
    want: 'generated-or-skipped',
    gv: {
      group: 'evil-group.example',
      version: 'v1',
      kinds: [
        {
          kind: 'Thing',
          plural: 'things',
          gvkGroup: `x'\n${payload('group')}\nexport * as z from 'y`,
        },
      ],
    },
  },
  {
    name: 'kinds My-Widget and Foo-Bar (any kind whose lower case is a DNS-1035 label)',
    want: 'generated',
    kinds: ['My-Widget', 'Foo-Bar'],
    gv: {
      group: 'kind-dash.example.com',
      version: 'v1',
      kinds: [
        { kind: 'My-Widget', plural: 'my-widgets' },
        { kind: 'Foo-Bar', plural: 'foo-bars' },
      ],
    },
  },
  {
    name: 'kind class (a reserved word)',
    want: 'generated',
    kinds: ['class'],
    gv: {
      group: 'kind-reserved.example.com',
      version: 'v1',
      kinds: [{ kind: 'class', plural: 'classes' }],
    },
  },
  {
    name: 'kind Record (Crossplane AWS route53) beside open objects emitted as Record<string, …>',
    want: 'generated',
    kinds: ['Record'],
    gv: {
      group: 'route53.aws.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Record',
          plural: 'records',
          spec: objectSpec({
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            forProvider: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          }),
        },
      ],
    },
  },
  {
    name: 'group foo-bar.example.com (same identifier as foo.bar.example.com today)',
    want: 'generated',
    kinds: ['Widget'],
    gv: {
      group: 'foo-bar.example.com',
      version: 'v1',
      kinds: [{ kind: 'Widget', plural: 'widgets' }],
    },
  },
  {
    name: 'group foo.bar.example.com',
    want: 'generated',
    kinds: ['Widget'],
    gv: {
      group: 'foo.bar.example.com',
      version: 'v1',
      kinds: [{ kind: 'Widget', plural: 'widgets' }],
    },
  },
  {
    name: 'CRD group apps.api.k8s.io with a Deployment (schema io.k8s.api.apps.v1.Deployment)',
    want: 'generated',
    kinds: ['Deployment'],
    gv: {
      group: 'apps.api.k8s.io',
      version: 'v1',
      kinds: [
        {
          kind: 'Deployment',
          plural: 'deployments',
          spec: objectSpec({ shadow: { type: 'string' } }),
        },
      ],
    },
  },
  {
    name: 'schema packages named constructor and __proto__',
    want: 'generated',
    kinds: ['Thing'],
    gv: {
      group: 'constructor.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Thing',
          plural: 'things',
          spec: objectSpec({ a: ref('constructor.v1.Shared'), b: ref('__proto__.v1.Shared') }),
        },
      ],
      schemas: JSON.parse(
        '{"constructor.v1.Shared":{"type":"object","properties":{"c":{"type":"string"}}},"__proto__.v1.Shared":{"type":"object","properties":{"p":{"type":"string"}}}}',
      ) as JsonObject,
    },
  },
  {
    name: 'a property named __proto__',
    want: 'generated',
    kinds: ['Thing'],
    gv: {
      group: 'proto.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Thing',
          plural: 'things',
          // JSON.parse keeps `__proto__` an own property; an object literal would set the prototype.
          spec: JSON.parse(
            '{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"},"normal":{"type":"string"}}}',
          ) as JsonObject,
        },
      ],
    },
  },
  {
    name: 'case-only collisions: kinds Gizmo/GIZMO, schema packages com.example.Upper/upper',
    want: 'generated',
    kinds: ['Gizmo', 'GIZMO'],
    gv: {
      group: 'case.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Gizmo',
          plural: 'gizmos',
          spec: objectSpec({
            a: ref('com.example.Upper.v1.Part'),
            b: ref('com.example.upper.v1.Part'),
          }),
        },
        { kind: 'GIZMO', plural: 'gizmoes' },
      ],
      schemas: {
        'com.example.Upper.v1.Part': objectSpec({ upper: { type: 'string' } }),
        'com.example.upper.v1.Part': objectSpec({ lower: { type: 'string' } }),
      },
    },
  },
  {
    name: 'a dangling $ref',
    want: 'skipped',
    rule: /\$?ref|unresolved|dangling/i,
    gv: {
      group: 'dangling.example.com',
      version: 'v1',
      kinds: [
        {
          kind: 'Thing',
          plural: 'things',
          spec: objectSpec({ x: ref('com.example.dangling.v1.Missing') }),
        },
      ],
    },
  },
  {
    name: 'a schema nested 300 deep',
    want: 'skipped',
    rule: /depth|nest|deep/i,
    gv: {
      group: 'deep.example.com',
      version: 'v1',
      kinds: [{ kind: 'Thing', plural: 'things', spec: nested(300) }],
    },
  },
]

const gvName = (gv: GroupVersionSpec): string =>
  `${gv.group === '' ? 'core' : gv.group}/${gv.version}`
// A warning names a group-version as `group/version` or by its root key `apis/group/version`.
const namesGroupVersion = (text: string, gv: GroupVersionSpec): boolean =>
  text.includes(gvName(gv)) ||
  text.includes(gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`)
// The CLI prints every warning as one `warning: …` line on stderr (progress.ts, generate.ts).
const warningsOf = ({ run }: { run: CliRun }): string[] =>
  run.stderr.split('\n').filter((l) => /\bwarning: /.test(l))
const moduleOf = (gv: GroupVersionSpec): string => `${gvName(gv)}.ts`

let dir: string
let server: HostileServer
// Every case together: one bad group-version must leave the others generated.
let full: { run: CliRun; out: string; files: Map<string, string> }
// Without the rows that must be skipped, so the safety assertions below (type-check, import,
// paths) also see today's output of every other hostile case instead of no output at all.
let named: { run: CliRun; out: string; files: Map<string, string> }
let before: string[]

async function walk(
  root: string,
  skip: (path: string) => boolean = () => false,
): Promise<string[]> {
  const found: string[] = []
  const visit = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (skip(path)) continue
      if (entry.isDirectory()) await visit(path)
      else found.push(relative(root, path))
    }
  }
  await visit(root)
  return found.sort()
}

function node(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

const fetchArgs = (outDir: string, ...extra: string[]): string[] => [
  'fetch',
  '--server',
  server.url,
  '--cache-dir',
  join(dir, 'cache'),
  '--lockfile',
  join(outDir, '..', 'k8s-codegen.lock.json'),
  '--out',
  outDir,
  '--no-nocheck',
  ...extra,
]

async function fetchInto(
  out: string,
  ...extra: string[]
): Promise<{ run: CliRun; out: string; files: Map<string, string> }> {
  const run = await runCli(fetchArgs(out, ...extra), {
    cwd: join(dir, 'cwd'),
    env: { HOME: join(dir, 'home'), HOSTILE_CANARY: join(dir, 'canary') },
    timeoutMs: 180_000,
  })
  const files = new Map<string, string>()
  if (existsSync(out))
    for (const path of await walk(out)) files.set(path, await readFile(join(out, path), 'utf8'))
  return { run, out, files }
}

const skippedRows = (): Case[] => cases.filter((c) => c.want === 'skipped')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-hostile-'))
  await mkdir(join(dir, 'home'), { recursive: true })
  await mkdir(join(dir, 'cwd'), { recursive: true })
  await mkdir(join(dir, 'full'), { recursive: true })
  await mkdir(join(dir, 'project'), { recursive: true })
  await mkdir(join(dir, 'strict'), { recursive: true })
  server = await startHostileServer(
    cases.map((c) => ({ spec: c.gv, document: groupVersionDocument(c.gv) })),
  )
  before = await walk(dir)
  full = await fetchInto(join(dir, 'full', 'k8s'))
  named = await fetchInto(
    join(dir, 'project', 'k8s'),
    ...skippedRows().flatMap((c) => ['--exclude', gvName(c.gv)]),
  )
}, 240_000)

afterAll(async () => {
  await server?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const report = ({ run }: { run: CliRun }): string =>
  `exit ${String(run.code)}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout}`

describe('k8s-codegen fetch against a hostile server (issue 9)', () => {
  it('exits 0 with a warning for each skipped group-version; --strict exits 3', async () => {
    expect(full.run.code, report(full)).toBe(0)
    for (const c of skippedRows()) {
      const lines = warningsOf(full).filter((l) => namesGroupVersion(l, c.gv))
      expect(lines, `${c.name}: a warning names ${gvName(c.gv)}\n${report(full)}`).not.toEqual([])
      expect(
        lines.some((l) => c.rule?.test(l) === true),
        `${c.name}: the warning about ${gvName(c.gv)} names the rule ${String(c.rule)}; got:\n${lines.join('\n')}`,
      ).toBe(true)
    }
    const strict = await runCli(fetchArgs(join(dir, 'strict', 'k8s'), '--strict'), {
      cwd: join(dir, 'cwd'),
      env: { HOME: join(dir, 'home') },
      timeoutMs: 180_000,
    })
    expect(strict.code, `--strict: ${strict.stderr}`).toBe(3)
  })

  it.each(cases.filter((c) => c.want !== 'skipped').map((c) => [c.name, c] as const))(
    '%s: its module is generated (an injection row may instead be skipped with a warning)',
    (_, c) => {
      const generated = full.files.has(moduleOf(c.gv))
      if (c.want === 'generated')
        expect(generated, `${c.name}: ${moduleOf(c.gv)} is generated\n${report(full)}`).toBe(true)
      else
        expect(
          generated || warningsOf(full).some((l) => namesGroupVersion(l, c.gv)),
          `${c.name}: ${moduleOf(c.gv)} is generated or a warning names ${gvName(c.gv)}\n${report(full)}`,
        ).toBe(true)
    },
  )

  it('records the skipped group-versions in the lockfile; offline generate reproduces the output and warnings', async () => {
    const lockfile = JSON.parse(
      await readFile(join(dir, 'full', 'k8s-codegen.lock.json'), 'utf8'),
    ) as { groupVersions: Record<string, unknown> }
    for (const c of skippedRows())
      expect(Object.keys(lockfile.groupVersions), `${c.name}: locked`).toContain(
        c.gv.group === '' ? `api/${c.gv.version}` : `apis/${c.gv.group}/${c.gv.version}`,
      )
    const offlineOut = join(dir, 'full', 'offline')
    const offline = await runCli(
      [
        'generate',
        '--lockfile',
        join(dir, 'full', 'k8s-codegen.lock.json'),
        '--cache-dir',
        join(dir, 'cache'),
        '--out',
        offlineOut,
        '--no-nocheck',
      ],
      { cwd: join(dir, 'cwd'), env: { HOME: join(dir, 'home') }, timeoutMs: 180_000 },
    )
    expect(offline.code, report({ run: offline })).toBe(full.run.code)
    expect(warningsOf({ run: offline }).map((l) => l.replace(/^.*?warning: /, ''))).toEqual(
      warningsOf(full).map((l) => l.replace(/^.*?warning: /, '')),
    )
    const offlineFiles = existsSync(offlineOut) ? await walk(offlineOut) : []
    expect(offlineFiles).toEqual([...full.files.keys()])
    for (const path of offlineFiles)
      expect(await readFile(join(offlineOut, path), 'utf8'), path).toBe(full.files.get(path))
  })

  it('keeps the built-in apps/v1 Deployment and warns about the CRD of apps.api.k8s.io that redefines it', () => {
    // apiextensions-apiserver names the CRD's schema after its reversed group: the same name.
    expect(defaultSchemaName({ group: 'apps.api.k8s.io', version: 'v1' }, 'Deployment')).toBe(
      'io.k8s.api.apps.v1.Deployment',
    )
    const conflict = warningsOf(full).filter(
      (l) =>
        l.includes('apps.api.k8s.io/v1') &&
        /\bapps\/v1\b/.test(l.replace('apps.api.k8s.io/v1', '')),
    )
    expect(
      conflict,
      `a warning names both apps.api.k8s.io/v1 and apps/v1\n${report(full)}`,
    ).not.toEqual([])
  })

  it('writes only safe, case-insensitively unique module paths, never a server string', () => {
    expect(named.files.size, report(named)).toBeGreaterThan(0)
    for (const { files } of [full, named]) {
      const seen = new Map<string, string>()
      for (const path of files.keys()) {
        for (const segment of path.split('/'))
          expect(segment, `${path}: every path segment is plain ASCII, never '.' or '..'`).toMatch(
            /^(?!\.{1,2}$)[A-Za-z0-9_.-]+$/,
          )
        expect(path, 'no Object.prototype member became a path').not.toMatch(
          /native code|\[object|function /,
        )
        const folded = path.toLowerCase()
        expect(
          seen.get(folded),
          `${path} collides with ${seen.get(folded) ?? ''} on a case-insensitive file system`,
        ).toBe(undefined)
        seen.set(folded, path)
      }
    }
  })

  it('writes nothing outside --out (besides the cache and lockfile it was given)', async () => {
    const runs = ['full', 'project', 'strict']
    const outs = new Set([
      join(dir, 'cache'),
      join(dir, 'full', 'offline'),
      ...runs.map((r) => join(dir, r, 'k8s')),
    ])
    const lockfiles = runs.map((r) => join(r, 'k8s-codegen.lock.json'))
    const after = await walk(dir, (p) => outs.has(p))
    const added = after.filter((p) => !before.includes(p) && !lockfiles.includes(p))
    expect(added, 'files written outside --out, the cache and the lockfile').toEqual([])
  })

  it('emits no @ts-nocheck and type-checks strict / NodeNext / exactOptionalPropertyTypes / noUncheckedIndexedAccess', async () => {
    expect(named.files.size, report(named)).toBeGreaterThan(0)
    for (const [path, content] of named.files)
      if (path.endsWith('.ts'))
        expect(content, `${path} (--no-nocheck)`).not.toContain('@ts-nocheck')
    const project = join(dir, 'project')
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n')
    // The output's one dependency, installed as a user would: the workspace's runtime package.
    await mkdir(join(project, 'node_modules', '@k8s-codegen'), { recursive: true })
    await symlink(
      dirname(require.resolve('@k8s-codegen/runtime/package.json')),
      join(project, 'node_modules', '@k8s-codegen', 'runtime'),
    )
    // The built-in Deployment keeps its own fields next to the CRD group apps.api.k8s.io.
    await writeFile(
      join(project, 'consumer.ts'),
      [
        `import { Deployment } from './k8s/apps/v1.js'`,
        `export const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {} } }`,
        `export const path: string = Deployment.path({ namespace: 'prod', name: 'web' })`,
        '',
      ].join('\n'),
    )
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          types: [],
          outDir: 'js',
          noEmitOnError: false,
        },
        include: ['k8s/**/*.ts', 'consumer.ts'],
      }),
    )
    const checked = await node([tsc, '-p', project], project)
    expect(checked.stdout + checked.stderr, 'tsc reports no error').toBe('')
    expect(checked.code).toBe(0)
  })

  it('importing every generated module runs nothing, and Service.proxyPath stays under /proxy/', async () => {
    const js = join(dir, 'project', 'js', 'k8s')
    expect(existsSync(js), 'the type-check test emitted JavaScript (it runs first)').toBe(true)
    const modules = (await walk(js)).filter((p) => p.endsWith('.js'))
    const probe = join(dir, 'project', 'probe.mjs')
    await writeFile(
      probe,
      `import { pathToFileURL } from 'node:url'
const modules = ${JSON.stringify(modules)}
const globalsBefore = new Set(Reflect.ownKeys(globalThis).map(String))
const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype]
const protoBefore = prototypes.map((p) => Reflect.ownKeys(p).map(String).join())
const result = { descriptors: {}, errors: {} }
for (const m of modules) {
  try {
    const ns = await import(pathToFileURL(${JSON.stringify(js)} + '/' + m).href)
    result.descriptors[m] = Object.values(ns)
      .filter((v) => v !== null && typeof v === 'object' && typeof v.kind === 'string' && typeof v.plural === 'string')
      .map((v) => ({ group: v.group, kind: v.kind }))
  } catch (error) {
    result.errors[m] = String(error)
  }
}
result.newGlobals = Reflect.ownKeys(globalThis).map(String).filter((k) => !globalsBefore.has(k))
result.prototypesChanged = prototypes.some((p, i) => Reflect.ownKeys(p).map(String).join() !== protoBefore[i])
try {
  const core = await import(pathToFileURL(${JSON.stringify(js)} + '/core/v1.js').href)
  result.proxyPath = core.Service.proxyPath({ namespace: 'prod', name: 'web', path: '../../../secrets/db-password' })
} catch (error) {
  result.proxyError = String(error)
}
console.log(JSON.stringify(result))
`,
    )
    const canary = join(dir, 'canary')
    const probed = await node([probe], join(dir, 'project'), { HOSTILE_CANARY: canary })
    expect(probed.code, probed.stderr).toBe(0)
    const result = JSON.parse(probed.stdout) as {
      descriptors: Record<string, { group: string; kind: string }[]>
      errors: Record<string, string>
      newGlobals: string[]
      prototypesChanged: boolean
      proxyPath?: string
      proxyError?: string
    }
    const canaries = (await readdir(dir)).filter((f) => f.startsWith('canary'))
    expect(canaries, 'no injected statement ran (it would write a canary file)').toEqual([])
    expect(result.newGlobals, 'importing the output adds no global').toEqual([])
    expect(result.prototypesChanged, 'importing the output changes no built-in prototype').toBe(
      false,
    )
    expect(result.errors, 'every generated module imports without throwing').toEqual({})

    for (const c of cases.filter((c) => c.want === 'generated')) {
      const found = result.descriptors[moduleOf(c.gv).replace(/\.ts$/, '.js')] ?? []
      for (const kind of c.kinds ?? [])
        expect(
          found.some((d) => d.kind === kind && d.group === c.gv.group),
          `${c.name}: ${moduleOf(c.gv)} exports the descriptor of ${c.gv.group}/${kind}; found ${JSON.stringify(found)}`,
        ).toBe(true)
    }

    expect(result.proxyError, 'Service.proxyPath clamps instead of throwing').toBe(undefined)
    const resolved = new URL(result.proxyPath ?? '', 'https://k8s.example').pathname
    expect(resolved, `Service.proxyPath returned ${String(result.proxyPath)}`).toMatch(
      /^\/api\/v1\/namespaces\/prod\/services\/web\/proxy\//,
    )
  })
})
