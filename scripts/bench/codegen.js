// Benchmark of the generator (not a test; prints figures and ratios against baselines measured
// in the same run). Needs ../shared/fixtures/kubernetes (the recorded profile) and built
// packages (`npm run bench:codegen` builds first).
//
//   1. full pipeline (normalize + the TypeScript-factory emitter + descriptors) vs
//      openapi-typescript alone (openapiTS + astToString per document), on (a) every recorded v3
//      document and (b) the 1.36 v2 document split per group-version; each in a fresh child
//      process, reporting wall time and peak RSS.
//   2. no-op regeneration: the built `k8s-codegen generate` on unchanged specs and output.
//   3. `tsc --noEmit` on one consumer file using Pod, Deployment and Service, against our output,
//      kubernetes-types and @kubernetes/client-node.
//
// `--profile crds-1000` (`npm run bench:codegen -- --profile crds-1000`) runs instead the scale
// profile of issue 9: 1,000 synthesized CRDs over 433 group-versions (~166 MB of v3 JSON, see
// ./_crd-profile.js) plus the recorded built-in documents they reference (core/v1 for ObjectMeta,
// autoscaling/v1 for Scale): generate time per group-version and peak RSS in a child process,
// openapi-typescript alone on the same documents, the recorded-profile pipeline ratio, and the
// consumer `tsc` of two kinds imported through `index.ts` vs through their own modules.
// BENCH_RUNS defaults to 3 (1 for crds-1000).
//
// Then, end to end (./_crd-e2e.js): the built CLI on synthesized real-shaped CRD files
// (`generate --crds` cold, no-op and after one edit; the emulator serving them and `fetch`, cold
// and warm vs `node -e 0`; consumer `tsc`; YAML parsers), at `--crds <counts>` (default 100;
// `npm run bench:codegen -- --crds 1000,2000` for the scale figures), then cdk8s import and
// crd-generate beside `generate --crds` on the real CRD corpus (installed from npm into a cache
// at bench time, skipped with a message when npm cannot). `--profile e2e` runs only this part;
// `--rows cold` only its `generate --crds` cold row (`--profile e2e --crds 1000,2000 --rows cold`).
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

// The emulator runs in this process: children must be awaited, never run synchronously.
const run = promisify(execFile)

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const work = join(root, 'node_modules', '.cache', 'k8s-codegen-bench')
const profileFlag = process.argv.indexOf('--profile')
const profileName = profileFlag === -1 ? 'recorded' : process.argv[profileFlag + 1]
if (!['recorded', 'crds-1000', 'e2e'].includes(profileName)) {
  console.error(`bench:codegen: unknown --profile '${profileName}' (recorded | crds-1000 | e2e)`)
  process.exit(1)
}
const crdsFlag = process.argv.indexOf('--crds')
const e2eCounts = (crdsFlag === -1 ? '100' : (process.argv[crdsFlag + 1] ?? ''))
  .split(',')
  .map(Number)
if (!e2eCounts.every((n) => Number.isSafeInteger(n) && n > 0)) {
  console.error('bench:codegen: --crds takes CRD counts, e.g. --crds 1000,2000')
  process.exit(1)
}
const rowsFlag = process.argv.indexOf('--rows')
const e2eRows = rowsFlag === -1 ? 'all' : process.argv[rowsFlag + 1]
if (!['all', 'cold'].includes(e2eRows)) {
  console.error(`bench:codegen: unknown --rows '${e2eRows}' (all | cold)`)
  process.exit(1)
}
const runs = Number(process.env.BENCH_RUNS ?? (profileName === 'crds-1000' ? 1 : 3))
const crdDir = join(work, 'crds-1000')

const { recordedProfileDir, startApiServer } = await import('@k8s-codegen/testkit')
const profile = recordedProfileDir()
if (profile === undefined) {
  console.error(
    'bench:codegen needs ../shared/fixtures/kubernetes (the recorded profile); it is absent',
  )
  process.exit(1)
}

// ---- child mode: run one measurement and print {ms, maxRssMb} -------------------------------
if (process.argv[2] === '--child') {
  const [, , , mode, scenario, outDir] = process.argv
  const inputs = await loadScenario(scenario)
  const started = performance.now()
  let files
  if (mode === 'ours') {
    const { generate } = await import('@k8s-codegen/codegen')
    ;({ files } = await generate({ groupVersions: inputs, lockfileHash: 'bench' }))
    if (files.size === 0) throw new Error('nothing generated')
  } else {
    const { default: openapiTS, astToString } = await import('openapi-typescript')
    for (const gv of inputs) astToString(await openapiTS(gv.document, { silent: true }))
  }
  const ms = performance.now() - started
  const maxRssMb = process.resourceUsage().maxRSS / 1024
  // Written after the measurement, for the consumer `tsc` of the crds-1000 profile.
  if (outDir !== undefined && files !== undefined) {
    for (const [path, content] of files) {
      await mkdir(dirname(join(outDir, path)), { recursive: true })
      await writeFile(join(outDir, path), content)
    }
  }
  console.log(JSON.stringify({ ms, maxRssMb, groupVersions: inputs.length }))
  process.exit(0)
}

async function loadScenario(scenario) {
  if (scenario === 'crds-1000') {
    // The built-in documents first: they own the shared schemas every CRD document copies.
    const builtIns = [
      ['api/v1', join(profile, 'v3', 'api', 'v1.json'), '', 'v1'],
      [
        'apis/autoscaling/v1',
        join(profile, 'v3', 'apis', 'autoscaling', 'v1.json'),
        'autoscaling',
        'v1',
      ],
    ]
    const inputs = []
    for (const [key, file, group, version] of builtIns)
      inputs.push({
        key,
        group,
        version,
        hash: key,
        document: JSON.parse(await readFile(file, 'utf8')),
      })
    const index = JSON.parse(await readFile(join(crdDir, 'profile.json'), 'utf8'))
    for (const gv of index.groupVersions) {
      const base = join(crdDir, gv.key)
      inputs.push({
        key: gv.key,
        group: gv.group,
        version: gv.version,
        hash: gv.key,
        document: JSON.parse(await readFile(`${base}.json`, 'utf8')),
        discovery: JSON.parse(await readFile(`${base}.discovery.json`, 'utf8')),
      })
    }
    return inputs
  }
  if (scenario === 'v3') {
    const inputs = []
    const add = async (key, file, group, version) =>
      inputs.push({
        key,
        group,
        version,
        hash: key,
        document: JSON.parse(await readFile(file, 'utf8')),
      })
    await add('api/v1', join(profile, 'v3', 'api', 'v1.json'), '', 'v1')
    for (const group of (await readdir(join(profile, 'v3', 'apis'))).sort()) {
      for (const file of (await readdir(join(profile, 'v3', 'apis', group))).sort()) {
        const version = file.replace(/\.json$/, '')
        await add(
          `apis/${group}/${version}`,
          join(profile, 'v3', 'apis', group, file),
          group,
          version,
        )
      }
    }
    return inputs
  }
  const { splitV2Document, parseGroupVersionKey } = await import('@k8s-codegen/openapi')
  const v2 = JSON.parse(await readFile(join(profile, 'v2', 'kubernetes-1.36.json'), 'utf8'))
  return [...splitV2Document(v2)].map(([key, document]) => ({
    ...parseGroupVersionKey(key),
    hash: key,
    document,
  }))
}

function child(mode, scenario, outDir) {
  const result = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', mode, scenario, ...(outDir ? [outDir] : [])],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  )
  if (result.status !== 0) throw new Error(`${mode} ${scenario} failed:\n${result.stderr}`)
  return JSON.parse(result.stdout.trim().split('\n').pop())
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`

console.log(`bench:codegen — ${runs} runs each, medians; recorded profile ${profile}\n`)

// ---- 1. full pipeline vs openapi-typescript alone ---------------------------------------------
function pipeline(scenario) {
  const ours = []
  const theirs = []
  let rss = 0
  for (let i = 0; i < runs; i++) {
    const a = child('ours', scenario)
    const b = child('openapi-typescript', scenario)
    ours.push(a.ms)
    theirs.push(b.ms)
    rss = Math.max(rss, a.maxRssMb)
  }
  const ratio = median(ours) / median(theirs)
  console.log(
    `pipeline ${scenario.padEnd(8)} ours ${fmt(median(ours))} · openapi-typescript alone ${fmt(median(theirs))} · ratio ${ratio.toFixed(2)}× (target ≤ 1.0×) · peak RSS ${rss.toFixed(0)} MB (target ≤ 400 MB)`,
  )
}

const bin = join(root, 'packages', 'cli', 'dist', 'bin.js')
async function e2e() {
  const { endToEnd } = await import('./_crd-e2e.js')
  await endToEnd({
    counts: e2eCounts,
    work,
    bin,
    startApiServer,
    corpus: join(root, 'packages', 'cli', 'test', 'corpus', 'crds'),
    runs,
    rows: e2eRows,
  })
}
if (profileName === 'crds-1000') {
  await crds1000()
  process.exit(0)
}
if (profileName === 'e2e') {
  await e2e()
  process.exit(0)
}

for (const scenario of ['v3', 'v2-1.36']) pipeline(scenario)

// ---- 2. no-op regeneration ----------------------------------------------------------------------
await rm(work, { recursive: true, force: true })
await mkdir(work, { recursive: true })
const server = await startApiServer({ exampleCrds: true })
try {
  const env = { ...process.env, K8S_CODEGEN_CACHE_DIR: join(work, 'cache') }
  const kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
  const out = join(work, 'project', 'generated')
  // The project's lockfile beside its output, never in the directory the bench runs from.
  const lockfile = ['--lockfile', join(work, 'project', 'k8s-codegen.lock.json')]
  // fetch generates too; the following `generate` runs find nothing to do.
  await run(
    process.execPath,
    [bin, 'fetch', '--kubeconfig', kubeconfig, '--out', out, ...lockfile],
    { env },
  )
  const noop = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const { stdout } = await run(process.execPath, [bin, 'generate', '--out', out, ...lockfile], {
      env,
    })
    noop.push(performance.now() - started)
    if (!stdout.includes('up to date')) throw new Error(`generate was not a no-op: ${stdout}`)
  }
  console.log(`no-op regeneration (whole CLI process) ${fmt(median(noop))} (target ≤ 0.3 s)`)

  // ---- 3. consumer tsc ----------------------------------------------------------------------------
  const consumers = {
    'k8s-codegen': `import type { Pod, Service } from '../project/generated/core/v1.js'\nimport type { Deployment } from '../project/generated/apps/v1.js'\n`,
    'kubernetes-types': `import type { Pod, Service } from 'kubernetes-types/core/v1.js'\nimport type { Deployment } from 'kubernetes-types/apps/v1.js'\n`,
    '@kubernetes/client-node': `import type { V1Pod as Pod, V1Service as Service, V1Deployment as Deployment } from '@kubernetes/client-node'\n`,
  }
  const body = `
export const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } }
export const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } }
export const deployment: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: pod.spec ?? { containers: [] } } } }
export const images = (d: Deployment): string[] => d.spec?.template.spec?.containers.map((c) => c.image ?? '') ?? []
`
  // Each consumer lives in <work>/<name>/, beside the project: '../project/generated' above.
  const { timeConsumers } = await import('./_crd-e2e.js')
  const times = await timeConsumers({
    dir: work,
    runs,
    consumers: Object.fromEntries(
      Object.entries(consumers).map(([name, imports]) => [name, imports + body]),
    ),
  })
  const base = times['kubernetes-types']
  for (const [name, ms] of Object.entries(times)) {
    console.log(
      `consumer tsc --noEmit with ${name.padEnd(24)} ${fmt(ms)} · ${(ms / base).toFixed(2)}× kubernetes-types (target for ours ≤ 1.0×)`,
    )
  }
} finally {
  await server.close()
  await rm(work, { recursive: true, force: true })
}

// ---- 4. end to end on CRD files and the emulator -------------------------------------------------
await e2e()

// ---- crds-1000: the scale profile (issue 9) ------------------------------------------------------
async function crds1000() {
  const { crdProfile } = await import('./_crd-profile.js')
  await rm(work, { recursive: true, force: true })
  await mkdir(crdDir, { recursive: true })
  const synthesized = performance.now()
  const { groupVersions, crds, bytes } = crdProfile({ crds: 1000, groupVersions: 433 })
  for (const gv of groupVersions) {
    await mkdir(dirname(join(crdDir, gv.key)), { recursive: true })
    await writeFile(join(crdDir, `${gv.key}.json`), gv.json)
    await writeFile(join(crdDir, `${gv.key}.discovery.json`), JSON.stringify(gv.discovery))
    // Freed before the children run: this process should not crowd the machine they measure on.
    gv.json = ''
  }
  const index = groupVersions.map(({ key, group, version, kinds }) => ({
    key,
    group,
    version,
    kinds,
  }))
  await writeFile(join(crdDir, 'profile.json'), JSON.stringify({ groupVersions: index }))
  console.log(
    `crds-1000: ${crds} CRDs over ${groupVersions.length} group-versions, ${(bytes / 1e6).toFixed(1)} MB of v3 JSON (+ recorded core/v1, autoscaling/v1), synthesized in ${fmt(performance.now() - synthesized)}`,
  )
  try {
    // Generate and openapi-typescript alone, each in a fresh child (peak RSS is the child's).
    const out = join(work, 'crds-1000-out', 'generated')
    const ours = []
    let rss = 0
    let total = 0
    for (let i = 0; i < runs; i++) {
      const a = child('ours', 'crds-1000', i === 0 ? out : undefined)
      ours.push(a.ms)
      rss = Math.max(rss, a.maxRssMb)
      total = a.groupVersions
    }
    console.log(
      `crds-1000 generate ${fmt(median(ours))} for ${total} group-versions · ${(median(ours) / total / 1000).toFixed(3)} s per group-version (target ≤ 0.1 s) · peak RSS ${rss.toFixed(0)} MB (target ≤ 1024 MB)`,
    )
    const theirs = []
    for (let i = 0; i < runs; i++) theirs.push(child('openapi-typescript', 'crds-1000').ms)
    console.log(
      `crds-1000 openapi-typescript alone ${fmt(median(theirs))} · generate is ${(median(ours) / median(theirs)).toFixed(2)}× that`,
    )

    // The recorded profile's pipeline ratio, in the same run.
    pipeline('v3')

    // Consumer tsc: two kinds of two CRD group-versions through index.ts vs their own modules.
    const [first, second] = [index[0], index[Math.floor(index.length / 2)]]
    const indexSource = await readFile(join(out, 'index.ts'), 'utf8')
    const namespaceOf = (gv) => {
      const module = `./${gv.group}/${gv.version}.js`
      const found = [...indexSource.matchAll(/export \* as (\w+) from '([^']+)'/g)].find(
        ([, , from]) => from === module,
      )
      if (!found) throw new Error(`index.ts has no \`export * as … from '${module}'\``)
      return found[1]
    }
    const { twoKindsTsc } = await import('./_crd-e2e.js')
    const kind = (gv) => ({
      ns: namespaceOf(gv),
      module: `${gv.group}/${gv.version}`,
      kind: gv.kinds[0],
    })
    const { viaIndex, viaModules } = await twoKindsTsc({
      out,
      first: kind(first),
      second: kind(second),
      runs,
    })
    console.log(
      `crds-1000 consumer tsc --noEmit, two kinds via their modules ${fmt(viaModules)} · via index.ts ${fmt(viaIndex)} · ${(viaIndex / viaModules).toFixed(2)}× the modules path`,
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
