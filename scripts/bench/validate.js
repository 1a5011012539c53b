// Benchmark of `k8s-codegen validate` (not a test; prints figures and ratios against
// kubectl-validate measured in the same run). `npm run bench:validate` builds first.
//
// The tree: real manifests from public projects, read at bench time from Go module zips (the Go
// module proxy → the local module cache; nothing is committed), with their provenance printed:
//   - k8s.io/kubernetes v1.37.2: test/e2e/testing-manifests, test/fixtures, cluster/addons,
//     hack/testdata (YAML and JSON files without Go templates `{{`);
//   - sigs.k8s.io/gateway-api v1.3.0: examples/ (custom resources) and the standard-channel CRDs
//     config/crd/standard (the schemas both tools validate those custom resources against).
// The files are replicated (copies under rep-N/) until the tree holds BENCH_FILES (2000) files;
// the output says how many are copies.
//
// The schemas, the same for both tools: the built-in documents of Kubernetes 1.30 that
// kubectl-validate embeds (sigs.k8s.io/kubectl-validate pkg/openapiclient/builtins/1.30, its
// `--version 1.30`) are our `--specs-dir`; the Gateway API CRDs are its `--local-crds` and our
// `--crds`. Both print JSON (`-o json`).
//
// A second k8s-codegen row validates the same tree against the built-in schemas it ships
// (@k8s-codegen/kube-schemas, `--kube-version` SHIPPED_VERSION, no `--specs-dir`): what a user
// gets with no cluster and no download. Its schemas are a newer release's, so its counts may
// differ from the 1.30 rows.
//
// Rows: each tool end to end on the whole tree (wall time of the process, start-up included;
// median of BENCH_RUNS, default 3), objects per second and the ratio (goal ≥ 3×); then the
// library alone: µs per validateObject of a typical Deployment without CEL (goal ≤ 50 µs), the
// headline being the end-to-end row. kubectl-validate comes from testkit's installKubectlValidate,
// as the parity tests get it: $K8S_CODEGEN_KUBECTL_VALIDATE, else `go install` of its
// kubectlValidateModule into node_modules/.cache.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { installKubectlValidate, kubectlValidateModule } from '@k8s-codegen/testkit'

const run = promisify(execFile)
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const work = join(root, 'node_modules', '.cache', 'k8s-codegen-bench-validate')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const wantFiles = Number(process.env.BENCH_FILES ?? 2000)
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js')

const KUBERNETES = 'k8s.io/kubernetes@v1.37.2'
const GATEWAY_API = 'sigs.k8s.io/gateway-api@v1.3.0'
const KUBE_VERSION = '1.30'
const SHIPPED_VERSION = '1.37'

const hasGo = spawnSync('go', ['version']).status === 0
if (!hasGo) {
  console.log(
    'bench:validate: Go is absent: the tree (Go module zips of kubernetes and gateway-api) and kubectl-validate both come through it; nothing to measure',
  )
  process.exit(0)
}

/** `go mod download` a module and return its directory in the module cache. */
async function moduleDir(module) {
  const { stdout } = await run('go', ['mod', 'download', '-json', module], {
    cwd: work,
    maxBuffer: 1 << 20,
  }).catch((error) => ({ stdout: error.stdout ?? '' }))
  const info = JSON.parse(stdout)
  if (info.Dir === undefined || !existsSync(info.Dir))
    throw new Error(`go mod download ${module}: ${info.Error ?? 'no directory'}`)
  return info.Dir
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) yield path
  }
}

// A manifest file: every document has apiVersion and kind at its top level (a quick textual
// check: both tools parse properly), and no Go template.
async function isManifest(path) {
  const text = await readFile(path, 'utf8')
  if (text.includes('{{')) return false
  if (path.endsWith('.json')) return /"apiVersion"/.test(text) && /"kind"/.test(text)
  const documents = text.split(/^---\s*$/m).filter((d) => /^[a-zA-Z]/m.test(d))
  return (
    documents.length > 0 && documents.every((d) => /^apiVersion:/m.test(d) && /^kind:/m.test(d))
  )
}

async function buildTree() {
  const tree = join(work, 'tree')
  const crds = join(work, 'crds')
  await rm(tree, { recursive: true, force: true })
  await rm(crds, { recursive: true, force: true })
  await mkdir(crds, { recursive: true })
  const kubernetes = await moduleDir(KUBERNETES)
  const gateway = await moduleDir(GATEWAY_API)
  const sources = [
    ...['test/e2e/testing-manifests', 'test/fixtures', 'cluster/addons', 'hack/testdata'].map(
      (d) => ({ module: KUBERNETES, dir: join(kubernetes, d) }),
    ),
    { module: GATEWAY_API, dir: join(gateway, 'examples') },
  ]
  const originals = []
  for (const source of sources) {
    let count = 0
    for await (const path of walk(source.dir)) {
      if (!(await isManifest(path))) continue
      const name = join(source.module.replace(/[@/]/g, '_'), relative(source.dir, path))
      originals.push({ path, name })
      count++
    }
    console.log(
      `  ${String(count).padStart(4)} files from ${source.module} ${relative(source.module.startsWith('k8s') ? kubernetes : gateway, source.dir)}/`,
    )
  }
  for await (const path of walk(join(gateway, 'config', 'crd', 'standard')))
    await copyFile(path, join(crds, path.split('/').at(-1)))
  const place = async (path, target) => {
    await mkdir(dirname(target), { recursive: true })
    await copyFile(path, target)
  }
  for (const { path, name } of originals) await place(path, join(tree, name))
  let copies = 0
  for (let rep = 1; originals.length > 0 && originals.length + copies < wantFiles; rep++) {
    for (const { path, name } of originals) {
      if (originals.length + copies >= wantFiles) break
      await place(path, join(tree, `rep-${rep}`, name))
      copies++
    }
  }
  console.log(
    `  tree: ${originals.length + copies} files, ${originals.length} originals and ${copies} copies (rep-N/) to reach ${wantFiles}; CRDs: ${GATEWAY_API} config/crd/standard`,
  )
  return { tree, crds }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Runs a command `runs` times; its JSON output's statuses are counted once. */
async function timeCommand(file, args) {
  const times = []
  let output = ''
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const result = await run(file, args, { cwd: work, maxBuffer: 1 << 30 }).catch((error) => error)
    times.push(performance.now() - started)
    output = result.stdout ?? ''
    if (output === '')
      throw new Error(`${file} printed nothing: ${result.stderr ?? result.message}`)
  }
  const statuses = Object.values(JSON.parse(output)).flat()
  const count = (status) => statuses.filter((s) => s.status === status).length
  return {
    ms: median(times),
    objects: statuses.length,
    success: count('Success'),
    invalid: statuses.filter((s) => s.reason === 'Invalid' || s.reason === 'BadRequest').length,
    other: statuses.filter(
      (s) => s.status === 'Failure' && s.reason !== 'Invalid' && s.reason !== 'BadRequest',
    ).length,
  }
}

async function libraryLatency(builtins) {
  const { validateObject } = await import('@k8s-codegen/validation')
  const document = JSON.parse(await readFile(join(builtins, 'apis', 'apps', 'v1.json'), 'utf8'))
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web', tier: 'frontend' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'production' }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi' },
              },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            },
          ],
        },
      },
    },
  }
  if (validateObject(document, deployment) !== undefined)
    throw new Error('the typical Deployment should be valid')
  // Wall time and this process's CPU time: on a shared machine the second is what the library
  // costs, the first what it took.
  const measure = (n) => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < n; i++) validateObject(document, deployment)
    const used = process.cpuUsage(cpu)
    return {
      wall: ((performance.now() - started) * 1000) / n,
      cpu: (used.user + used.system) / n,
    }
  }
  measure(2000)
  const samples = [measure(5000), measure(5000), measure(5000)]
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
  }
}

await mkdir(work, { recursive: true })
console.log(`bench:validate (median of ${runs} runs; the built CLI vs kubectl-validate)`)
const { tree, crds } = await buildTree()
console.log(`  kubectl-validate: ${kubectlValidateModule} (go install, once)`)
const kubectlValidate = installKubectlValidate(join(work, 'bin'))
const builtins = join(kubectlValidate.moduleDir, 'pkg', 'openapiclient', 'builtins', KUBE_VERSION)
const treeBytes = await (async () => {
  let total = 0
  for await (const path of walk(tree)) total += (await stat(path)).size
  return total
})()
console.log(
  `  ${(treeBytes / 1e6).toFixed(1)} MB of YAML/JSON; built-in schemas: ${kubectlValidateModule} pkg/openapiclient/builtins/${KUBE_VERSION}`,
)

const ours = await timeCommand(process.execPath, [
  bin,
  'validate',
  tree,
  '--crds',
  crds,
  '--specs-dir',
  builtins,
  '-o',
  'json',
])
// No lockfile (one that does not exist) and no --specs-dir: only --crds and the shipped built-ins.
const shipped = await timeCommand(process.execPath, [
  bin,
  'validate',
  tree,
  '--crds',
  crds,
  '--kube-version',
  SHIPPED_VERSION,
  '--lockfile',
  join(work, 'no.lock.json'),
  '-o',
  'json',
])
const row = (name, r) =>
  `  ${name.padEnd(18)} ${r.ms.toFixed(0).padStart(6)} ms  ${String(r.objects).padStart(5)} objects  ${(r.objects / (r.ms / 1000)).toFixed(0).padStart(6)} objects/s  (${r.success} valid, ${r.invalid} invalid, ${r.other} not validated)`
let theirs
try {
  theirs = await timeCommand(kubectlValidate.binary, [
    tree,
    '--local-crds',
    crds,
    '--version',
    KUBE_VERSION,
    '-o',
    'json',
  ])
} catch (error) {
  console.log(`  kubectl-validate unavailable: ${error.message.split('\n')[0]}`)
}
console.log('end to end, start-up included:')
console.log(row('k8s-codegen', ours))
console.log(row(`  shipped ${SHIPPED_VERSION}`, shipped))
if (theirs !== undefined) {
  console.log(row('kubectl-validate', theirs))
  console.log(
    '  (object counts differ where the tools do: k8s-codegen reports each item of a kind: List and skips comment-only documents; kubectl-validate reports a List as one document and a comment-only one as Success)',
  )
  const ratio = theirs.ms / ours.ms
  console.log(`  throughput ratio: ${ratio.toFixed(2)}× kubectl-validate's (goal ≥ 3×)`)
  console.log(
    `  with the shipped ${SHIPPED_VERSION} schemas: ${(theirs.ms / shipped.ms).toFixed(2)}× kubectl-validate's (it on its embedded ${KUBE_VERSION})`,
  )
}
const micros = await libraryLatency(builtins)
console.log(
  `library alone: validateObject of a typical Deployment (apps/v1, no CEL): ${micros.wall.toFixed(1)} µs/object wall, ${micros.cpu.toFixed(1)} µs CPU (goal ≤ 50 µs)`,
)
