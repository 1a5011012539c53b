import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { resolvePlan, type GenerationArgs } from '../src/generation.js'
import { loadConfigFile } from '../src/config-file.js'
import type { CliContext } from '../src/context.js'

// Inside the repository, so a `.ts` config's `import { defineConfig } from 'k8s-codegen'`
// resolves to this workspace package (as it resolves to the installed package for users).
const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url))
let root: string

beforeAll(async () => {
  await mkdir(cache, { recursive: true })
  root = await mkdtemp(join(cache, 'config-file-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let n = 0
/** A fresh project directory holding `files`, and a nested working directory inside it. */
async function project(files: Record<string, string>): Promise<{ dir: string; cwd: string }> {
  const dir = join(root, `p${n++}`)
  const cwd = join(dir, 'nested', 'deeper')
  await mkdir(cwd, { recursive: true })
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
  return { dir, cwd }
}

const ctxAt = (cwd: string): CliContext => ({
  stdout: () => undefined,
  stderr: () => undefined,
  stderrIsTTY: false,
  env: {},
  cwd,
  exitCode: 0,
})

const tsConfig = `import { defineConfig, type K8sCodegenConfig } from 'k8s-codegen'

const include: K8sCodegenConfig['include'] = ['core/v1', 'apps/*']
export default defineConfig({ out: 'src/k8s', include, docs: false })
`

describe('loadConfigFile', () => {
  it.each([
    {
      given: {
        'k8s-codegen.config.json': JSON.stringify({
          out: 'src/k8s',
          include: ['core/v1', 'apps/*'],
          docs: false,
        }),
      },
    },
    { given: { 'k8s-codegen.config.ts': tsConfig } },
    {
      given: {
        'k8s-codegen.config.mjs':
          "export default { out: 'src/k8s', include: ['core/v1', 'apps/*'], docs: false }\n",
      },
    },
    {
      given: {
        'package.json': '{ "type": "module" }\n',
        'k8s-codegen.config.js':
          "export default { out: 'src/k8s', include: ['core/v1', 'apps/*'], docs: false }\n",
      },
    },
  ])(
    'finds $given from a nested working directory; paths are relative to the file',
    async ({ given }) => {
      const { dir, cwd } = await project(given)
      const name = Object.keys(given).find((f) => f.startsWith('k8s-codegen.config.')) ?? ''
      expect(await loadConfigFile(cwd)).toEqual({
        file: join(dir, name),
        config: { out: join(dir, 'src/k8s'), include: ['core/v1', 'apps/*'], docs: false },
      })
    },
  )

  it('returns undefined when no config file is found', async () => {
    const { cwd } = await project({})
    expect(await loadConfigFile(cwd)).toBeUndefined()
  })

  it('the json file wins over the ts file in one directory; the nearest directory wins', async () => {
    const { dir, cwd } = await project({
      'k8s-codegen.config.json': '{ "out": "from-json" }',
      'k8s-codegen.config.ts': "export default { out: 'from-ts' }\n",
    })
    expect((await loadConfigFile(cwd))?.config.out).toBe(join(dir, 'from-json'))
    await writeFile(join(cwd, 'k8s-codegen.config.mjs'), "export default { out: 'nearest' }\n")
    expect((await loadConfigFile(cwd))?.config.out).toBe(join(cwd, 'nearest'))
  })

  it.each([
    {
      given: { 'k8s-codegen.config.json': '{ "output": "x" }' },
      want: "key 'output' is unknown (allowed: out, lockfile, cacheDir, specsDir, include, exclude, docs, nocheck, emit, maxDocumentBytes, maxDepth, maxCrdFileBytes, maxCrdTotalBytes, maxCrdDocuments, maxCrdExpandedBytes, crds)",
    },
    {
      given: { 'k8s-codegen.config.json': '{ "docs": "no" }' },
      want: "key 'docs' must be a boolean",
    },
    {
      given: { 'k8s-codegen.config.json': '{ "include": "core/v1" }' },
      want: "key 'include' must be a string[]",
    },
    { given: { 'k8s-codegen.config.json': '{ "out": 1 }' }, want: "key 'out' must be a string" },
    {
      given: { 'k8s-codegen.config.json': '{ "crds": "crds/" }' },
      want: "key 'crds' must be a string[]",
    },
    { given: { 'k8s-codegen.config.json': '["core/v1"]' }, want: 'must hold a JSON object' },
    {
      given: { 'k8s-codegen.config.json': '{\n  "out": "x",,\n}\n' },
      want: 'has a syntax error at <file>:2:14: ',
    },
    { given: { 'k8s-codegen.config.json': '  \n' }, want: 'is empty' },
    {
      given: { 'k8s-codegen.config.ts': "export default { specsDir: 'specs', exlude: ['x'] }\n" },
      want: "key 'exlude' is unknown",
    },
    {
      given: { 'k8s-codegen.config.ts': "export const out = 'x'\n" },
      want: 'must export an object as default',
    },
    { given: { 'k8s-codegen.config.ts': 'export default {\n' }, want: 'cannot be loaded: ' },
    {
      given: { 'k8s-codegen.config.mjs': "throw new Error('boom')\n" },
      want: 'cannot be loaded: boom',
    },
    // issue 10: Node printed "Cannot require() ES Module … open an issue at nodejs/node".
    {
      given: { 'k8s-codegen.config.mjs': "export default {\n  out: 'x',\n  foo bar\n}\n" },
      want: "has a syntax error at <file>:3:7: Unexpected identifier 'bar'",
    },
    {
      given: { 'k8s-codegen.config.js': "export default {\n  out: 'x'\n  docs: false\n}\n" },
      want: 'has a syntax error at <file>:3:3: ',
    },
  ])('rejects $given naming the file and the rule: $want', async ({ given, want }) => {
    const { dir, cwd } = await project(given)
    const file = join(dir, Object.keys(given)[0] ?? '')
    await expect(loadConfigFile(cwd)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLI_CONFIG_INVALID',
      message: expect.stringContaining(
        `config file ${file}: ${want.replace('<file>', file)}`,
      ) as unknown,
    })
  })

  // issue 10: outside $HOME the search walked up to /, so a config in /tmp ran for every project.
  it('the search stops at the project root (package.json or .git)', async () => {
    const { dir, cwd } = await project({ 'k8s-codegen.config.json': '{ "out": "above" }' })
    await writeFile(join(dir, 'nested', 'package.json'), '{}')
    expect(await loadConfigFile(cwd)).toBeUndefined()
    await mkdir(join(cwd, '.git'))
    await writeFile(join(dir, 'nested', 'k8s-codegen.config.json'), '{ "out": "x" }')
    expect(await loadConfigFile(cwd)).toBeUndefined()
  })

  it.each([
    {
      given: 'owned by another user',
      change: (file: string) => chown(file, 4242, 4242),
      want: 'is owned by user 4242, not by you',
    },
    {
      given: 'writable by every user',
      change: (file: string) => chmod(file, 0o666),
      want: 'is writable by every user (mode 666)',
    },
  ])('refuses a config file $given, running none of it', async ({ change, want }) => {
    const { dir, cwd } = await project({
      'k8s-codegen.config.mjs': 'globalThis.ranConfig = true\nexport default {}\n',
    })
    const file = join(dir, 'k8s-codegen.config.mjs')
    await change(file)
    await expect(loadConfigFile(cwd)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLI_CONFIG_INVALID',
      message: expect.stringContaining(`config file ${file}: ${want}`) as unknown,
    })
    expect((globalThis as { ranConfig?: boolean }).ranConfig).toBeUndefined()
  })

  it('--config names a file relative to the working directory; a missing one is an error', async () => {
    const { dir, cwd } = await project({ 'ci.config.json': '{ "specsDir": "specs" }' })
    expect(await loadConfigFile(cwd, '../../ci.config.json')).toEqual({
      file: join(dir, 'ci.config.json'),
      config: { specsDir: join(dir, 'specs') },
    })
    await expect(loadConfigFile(cwd, 'nope.json')).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLI_CONFIG_INVALID',
      message: `config file ${join(cwd, 'nope.json')}: does not exist`,
    })
  })
})

describe('resolvePlan: flag > config file > default', () => {
  const config = JSON.stringify({
    out: 'config-out',
    lockfile: 'config.lock.json',
    specsDir: 'config-specs',
    include: ['core/v1'],
    exclude: ['*alpha*'],
    docs: false,
    nocheck: false,
  })
  it.each<{
    given: { config?: string; args: Partial<GenerationArgs> }
    want: (dir: string, cwd: string) => object
  }>([
    {
      given: { args: {} },
      // No config file: the lockfile is in the working directory, whatever --out is.
      want: (_dir, cwd) => ({
        out: join(cwd, 'generated'),
        lockfile: join(cwd, 'k8s-codegen.lock.json'),
        specsDir: undefined,
        given: {},
      }),
    },
    {
      given: { args: { out: 'src/k8s' } },
      // issue 10: `--out src/k8s` put the lockfile at src/k8s-codegen.lock.json.
      want: (_dir, cwd) => ({
        out: join(cwd, 'src/k8s'),
        lockfile: join(cwd, 'k8s-codegen.lock.json'),
      }),
    },
    {
      given: { config: JSON.stringify({ out: 'src/k8s' }), args: {} },
      // A config file: the lockfile is beside it, in the project root.
      want: (dir) => ({
        out: join(dir, 'src/k8s'),
        lockfile: join(dir, 'k8s-codegen.lock.json'),
        projectRoot: dir,
      }),
    },
    {
      given: { config, args: {} },
      want: (dir) => ({
        out: join(dir, 'config-out'),
        lockfile: join(dir, 'config.lock.json'),
        specsDir: join(dir, 'config-specs'),
        given: { include: ['core/v1'], exclude: ['*alpha*'], docs: false, nocheck: false },
      }),
    },
    {
      given: {
        config,
        args: {
          out: 'flag-out',
          docs: true,
          nocheck: true,
          include: ['apps/v1'],
          lockfile: 'flag.lock.json',
        },
      },
      want: (dir, cwd) => ({
        out: join(cwd, 'flag-out'),
        lockfile: join(cwd, 'flag.lock.json'),
        specsDir: join(dir, 'config-specs'),
        given: { include: ['apps/v1'], exclude: ['*alpha*'], docs: true, nocheck: true },
      }),
    },
  ])('$given.args with config $given.config', async ({ given, want }) => {
    const { dir, cwd } = await project(
      given.config === undefined ? {} : { 'k8s-codegen.config.json': given.config },
    )
    const plan = await resolvePlan({ json: false, ...given.args }, ctxAt(cwd))
    expect(plan).toMatchObject(want(dir, cwd))
  })
})
