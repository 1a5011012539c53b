// Generates the bindings the client's tests and type tests use, into test/generated (git-ignored):
// - builtins/: core/v1, apps/v1 and autoscaling/v1 from the recorded Kubernetes v3 documents
//   (../shared/fixtures/kubernetes, read in place — the documents the emulator's `recorded`
//   profile serves), through @k8s-codegen/codegen as `k8s-codegen generate` runs it;
// - crd/: the example.dev Widget CRD of packages/openapi/test/fixtures/crds, through the real
//   CLI: `k8s-codegen generate --crds widgets.yaml`.
// Run by vitest's globalSetup and before `typecheck`; regenerates only when the generator (codegen,
// the CLI and openapi builds), the inputs or this script changed.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { generate, generatorId } from '@k8s-codegen/codegen'
import { requireRecordedProfile } from '@k8s-codegen/testkit'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', 'test', 'generated')
const require = createRequire(import.meta.url)
const cliDir = dirname(require.resolve('k8s-codegen/package.json'))
const cli = join(cliDir, 'dist', 'bin.js')
// The CLI's CRD conversion lives in @k8s-codegen/openapi: its build is part of the key too.
const openapiDist = dirname(
  createRequire(join(cliDir, 'package.json')).resolve('@k8s-codegen/openapi'),
)
export const crdFile = join(here, '..', '..', 'openapi', 'test', 'fixtures', 'crds', 'widgets.yaml')

const recorded = requireRecordedProfile()
const inputs = [
  ['api/v1', join(recorded, 'v3', 'api', 'v1.json'), '', 'v1'],
  ['apis/apps/v1', join(recorded, 'v3', 'apis', 'apps', 'v1.json'), 'apps', 'v1'],
  [
    'apis/autoscaling/v1',
    join(recorded, 'v3', 'apis', 'autoscaling', 'v1.json'),
    'autoscaling',
    'v1',
  ],
]

const builtFiles = async (dir) =>
  (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => join(dir, f))
const hash = createHash('sha256').update(generatorId())
for (const file of [
  fileURLToPath(import.meta.url),
  crdFile,
  ...inputs.map((i) => i[1]),
  ...(await builtFiles(join(cliDir, 'dist'))),
  ...(await builtFiles(openapiDist)),
])
  hash.update(await readFile(file))
const key = hash.digest('hex')
const stamp = join(out, '.key')
const current = await readFile(stamp, 'utf8').catch(() => '')
if (current !== key) {
  await rm(out, { recursive: true, force: true })
  const groupVersions = []
  for (const [gvKey, file, group, version] of inputs) {
    const document = JSON.parse(await readFile(file, 'utf8'))
    groupVersions.push({ key: gvKey, group, version, hash: `recorded:${gvKey}`, document })
  }
  const { files, skipped } = await generate({
    groupVersions,
    lockfileHash: 'recorded-fixtures',
    options: { nocheck: false },
  })
  if (skipped.length > 0) throw new Error(`generation skipped ${JSON.stringify(skipped)}`)
  for (const [path, content] of files) {
    await mkdir(dirname(join(out, 'builtins', path)), { recursive: true })
    await writeFile(join(out, 'builtins', path), content)
  }
  await mkdir(out, { recursive: true })
  execFileSync(
    process.execPath,
    [
      cli,
      'generate',
      '--crds',
      crdFile,
      '--out',
      join(out, 'crd'),
      '--lockfile',
      join(out, 'crd.lock.json'),
      '--no-nocheck',
    ],
    { cwd: out, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  await writeFile(stamp, key)
}
