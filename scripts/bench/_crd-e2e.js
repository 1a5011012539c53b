// The end-to-end part of bench:codegen: the built CLI as a user runs it on CRD files and against
// the emulator serving them, at each CRD count asked for (`--crds 1000,2000`; default 100, so a
// default run stays short on a shared machine). Every figure is a fresh process's wall time and
// peak RSS; ratios are against baselines measured in the same run (`node -e 0`, the modules path
// of a consumer's `tsc`). Timings are printed, never asserted.
//
//   generate --crds, cold      s per group-version (target ≤ 0.05 s) and peak RSS (≤ 512 MB at 2,000)
//   generate --crds, no-op     wall (target ≤ 1 s at 2,000 CRDs)
//   one CRD edited             files rewritten vs the files of its group-version; wall and CPU
//                              vs the cold run, the cache's size on disk, with the load
//   emulator start             until it serves the CRDs (target ≤ 5 s at 1,000): started, then
//                              aggregated discovery, the /openapi/v3 root (every hash) and one
//                              CR list answered, in this process; wall, CPU of this process (and
//                              of its main thread: the emulator reads CRD files on worker threads),
//                              and the main thread's wait for a core (Linux schedstat) beside the load
//   fetch, cold and warm       warm vs `node -e 0`, wall and CPU time (target ≤ 2×), with the load
//   consumer tsc               two kinds through index.ts vs through their modules (≤ 1.5×), CPU
//                              and wall, and what tsc loaded; beside them every module imported
//                              without the index (what an index of every module costs at least),
//                              and the modules path with the output in the tsconfig's include;
//                              then both paths without skipLibCheck and on the declaration
//                              output of --emit js, with and without it
//   YAML parsers               yaml vs js-yaml vs JSON.parse on the CRD corpus and the synthesized files
//   peers                      cdk8s import and crd-generate vs generate --crds on the real CRD corpus,
//                              installed from npm into node_modules/.cache/k8s-codegen-bench-peers
//                              (skipped, saying why, when npm cannot install them)
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:https'
import { createRequire } from 'node:module'
import { availableParallelism, loadavg } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

import { DEFAULT_CRD_READ_LIMITS, loadYamlDocuments } from '@k8s-codegen/openapi/crd-yaml'

import { crdManifests } from './_crd-profile.js'
import { childCpuMs, CPU_HOOK, tscDiagnostic } from './_tsc.js'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`
// Each CLI child reports its own peak RSS (kB) on stderr as it exits: VmHWM on Linux, since
// getrusage's maxRSS keeps the high-water mark of the process it was forked from (this bench,
// holding the emulator), so every child would report at least the bench's RSS.
// Its CPU time (user + system, µs) too: on a shared machine the wall time moves with the load.
const RSS_HOOK =
  "data:text/javascript,import{readFileSync}from'node:fs';process.on('exit',()=>{let kb=process.resourceUsage().maxRSS;try{kb=Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])}catch{}const c=process.cpuUsage();process.stderr.write('maxrss:'+kb+' cpu:'+(c.user+c.system)+'\\n')})"

/** Runs the built CLI, or a peer's Node bin (asynchronously: the emulator may live in this process). */
async function cli(bin, args, env, { cwd } = {}) {
  const started = performance.now()
  const { stdout, stderr } = await run(process.execPath, ['--import', RSS_HOOK, bin, ...args], {
    env,
    cwd,
    maxBuffer: 64 << 20,
  })
  const ms = performance.now() - started
  const rss = Number(/maxrss:(\d+)/.exec(stderr)?.[1] ?? 0)
  const cpuMs = Number(/ cpu:(\d+)/.exec(stderr)?.[1] ?? 0) / 1000
  return { ms, rss, cpuMs, json: args.includes('--json') ? JSON.parse(stdout) : undefined }
}

// The calling thread's time on a core and spent runnable but waiting for one, in ms (Linux
// /proc/thread-self/schedstat: on-CPU ns, run-queue ns, timeslices); undefined elsewhere. On a
// shared machine the wait is what separates a row's wall time from its CPU time; the time on a
// core is this thread's share of the process's CPU (the rest: worker threads, GC, crypto).
function threadTimesMs() {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number)
    return { cpu: cpu / 1e6, wait: wait / 1e6 }
  } catch {
    return undefined
  }
}

/** GETs `path` from an emulator (TLS, its token) and returns the parsed JSON body. */
function getJson(server, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: server.caPem, headers: { authorization: `Bearer ${server.token}`, ...headers } },
      (res) => {
        const chunks = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('end', () => {
          if (res.statusCode === 200) resolve(JSON.parse(Buffer.concat(chunks).toString()))
          else reject(new Error(`GET ${path}: ${res.statusCode}`))
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

/**
 * Starts the emulator on the CRD directory, in this process, and waits until it serves what a
 * client asks first: aggregated discovery (`/api`, `/apis`), the `/openapi/v3` root (which hashes
 * every document) and a list of one custom resource. Returns the server and the row's figures.
 *
 * @example
 * const { server, row } = await startServing(startApiServer, 'crds/')
 */
async function startServing(startApiServer, crds) {
  const load = loadavg()[0]
  const cpu = process.cpuUsage()
  const thread = threadTimesMs()
  const started = performance.now()
  const server = await startApiServer({ crds: [crds] })
  const listening = performance.now() - started
  try {
    await getJson(server, '/api', { accept: AGGREGATED })
    const discovery = await getJson(server, '/apis', { accept: AGGREGATED })
    await getJson(server, '/openapi/v3')
    const group = discovery.items.find((g) => g.metadata.name.endsWith('.example.io'))
    const version = group.versions[0]
    await getJson(
      server,
      `/apis/${group.metadata.name}/${version.version}/${version.resources[0].resource}`,
    )
  } catch (error) {
    await server.close()
    throw error
  }
  const serving = performance.now() - started
  const used = process.cpuUsage(cpu)
  const after = threadTimesMs()
  const wait =
    thread === undefined || after === undefined
      ? ''
      : ` (main thread ${fmt(after.cpu - thread.cpu)}) · main thread waited ${fmt(after.wait - thread.wait)} for a core`
  const row = `emulator serving after ${fmt(serving)} (target ≤ 5 s at 1,000; listening after ${fmt(listening)}, then discovery, /openapi/v3 root, one CR list) · CPU ${fmt((used.user + used.system) / 1000)}${wait} · load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)} · RSS ${mb(process.memoryUsage().rss / 1024)}`
  return { server, row }
}

/** The run of median wall time of `n` runs of `once`, one after the other. */
async function medianRun(n, once) {
  const all = []
  for (let i = 0; i < n; i++) all.push(await once())
  return all.sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)]
}

// Printed beside figures that move with it.
const loadLine = () => `load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`

// The cache's bytes on disk: the documents, and the conversion entries beside them (a set's
// record, each CRD file's facts, each group-version's entry: openapi crd/conversion-cache.ts).
function cacheSizes(dir) {
  const size = (sub) => {
    let bytes = 0
    let files = 0
    const root = join(dir, sub)
    if (!existsSync(root)) return { bytes, files }
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      bytes += statSync(join(entry.parentPath, entry.name)).size
      files++
    }
    return { bytes, files }
  }
  const parts = ['sha512', 'crd-conversions', 'crd-files', 'crd-group-versions'].map((sub) => {
    const { bytes, files } = size(sub)
    return `${sub} ${(bytes / 1e6).toFixed(1)} MB in ${files} files`
  })
  return parts.join(', ')
}

async function writeCrdFiles(dir, count) {
  const { dump } = await import('js-yaml')
  await mkdir(dir, { recursive: true })
  const groupVersions = Math.max(1, Math.round(count * 0.433))
  let bytes = 0
  const files = []
  for (const manifest of crdManifests({ crds: count, groupVersions })) {
    const text = dump(manifest, { noRefs: true, lineWidth: -1 })
    const file = join(dir, `${manifest.metadata.name}.yaml`)
    await writeFile(file, text)
    files.push(file)
    bytes += text.length
  }
  return { files, bytes }
}

function yamlParsers(files) {
  const yaml = require('yaml')
  const jsYaml = require('js-yaml')
  const texts = files.map((f) => readFileSync(f, 'utf8'))
  const json = texts.map((t) => JSON.stringify(jsYaml.loadAll(t)))
  const time = (fn) => {
    const started = performance.now()
    fn()
    return performance.now() - started
  }
  const tYaml = time(() => texts.forEach((t) => yaml.parseAllDocuments(t).map((d) => d.toJS())))
  const tJsYaml = time(() =>
    texts.forEach((t) => jsYaml.loadAll(t, undefined, { schema: jsYaml.CORE_SCHEMA })),
  )
  const tJson = time(() => json.forEach((t) => JSON.parse(t)))
  // What generate --crds and the emulator run: openapi's reader (block-YAML fast path, js-yaml
  // for the rest, the size bound).
  const tReader = time(() =>
    texts.forEach((t, i) => [...loadYamlDocuments(t, files[i], DEFAULT_CRD_READ_LIMITS)]),
  )
  const size = texts.reduce((n, t) => n + t.length, 0)
  return `${texts.length} files, ${(size / 1e6).toFixed(1)} MB: yaml ${fmt(tYaml)} · js-yaml ${fmt(tJsYaml)} (${(tYaml / tJsYaml).toFixed(1)}× faster) · k8s-codegen reader ${fmt(tReader)} (${(tJsYaml / tReader).toFixed(1)}× js-yaml) · JSON.parse of the same data ${fmt(tJson)}`
}

/**
 * Times `tsc --noEmit` of each consumer (name → its TypeScript source, or `{ source, include,
 * skipLibCheck }` where `include` adds globs, relative to the project, to its tsconfig's `include`
 * and `skipLibCheck: false` turns off what `tsc --init` writes), each in its
 * own project `<dir>/<name>`: first one `--extendedDiagnostics` run per project (untimed; it
 * also warms the file cache), then `runs` timed rounds, round-robin so a load change on a shared
 * machine hits every contender alike. Returns per name the median wall and CPU ms (user +
 * system, every thread) and what tsc loaded: files, lines of TypeScript and declarations, parse
 * / bind / check seconds, memory. A type error fails the run.
 *
 * @example
 * const { ours } = await timeConsumers({ dir: work, consumers: { ours: src }, runs: 3 })
 * console.log(ours.cpuMs, ours.files)
 */
export async function timeConsumers({ dir: parent, consumers, runs }) {
  const tsc = require.resolve('typescript/bin/tsc')
  const dirs = {}
  for (const [name, consumer] of Object.entries(consumers)) {
    const {
      source,
      include = [],
      skipLibCheck = true,
    } = typeof consumer === 'string' ? { source: consumer } : consumer
    const dir = join(parent, name.replace(/[^\w.-]/g, '_'))
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
    await writeFile(join(dir, 'consumer.ts'), source)
    const compilerOptions = {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      noEmit: true,
      skipLibCheck,
      types: [],
    }
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, include: ['consumer.ts', ...include] }),
    )
    dirs[name] = dir
  }
  const tscRun = (name, args) => {
    const result = spawnSync(
      process.execPath,
      ['--import', CPU_HOOK, tsc, '-p', dirs[name], ...args],
      {
        encoding: 'utf8',
        maxBuffer: 16 << 20,
      },
    )
    if (result.status !== 0) throw new Error(`tsc ${name}:\n${result.stdout}${result.stderr}`)
    return result
  }
  const loaded = {}
  for (const name of Object.keys(dirs)) {
    const { stdout } = tscRun(name, ['--extendedDiagnostics'])
    const figure = (label, absent) => tscDiagnostic(stdout, label, absent)
    loaded[name] = {
      files: figure('Files'),
      lines: figure('Lines of TypeScript', 0) + figure('Lines of Definitions', 0),
      parseS: figure('Parse time'),
      bindS: figure('Bind time'),
      checkS: figure('Check time'),
      memoryMiB: figure('Memory used') / 1024,
    }
  }
  const wall = Object.fromEntries(Object.keys(dirs).map((name) => [name, []]))
  const cpu = Object.fromEntries(Object.keys(dirs).map((name) => [name, []]))
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(dirs)) {
      const started = performance.now()
      const { stderr } = tscRun(name, [])
      wall[name].push(performance.now() - started)
      cpu[name].push(childCpuMs(stderr))
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
  return Object.fromEntries(
    Object.keys(dirs).map((name) => [
      name,
      { wallMs: median(wall[name]), cpuMs: median(cpu[name]), ...loaded[name] },
    ]),
  )
}

// The consumer of {@link twoKindsTsc} (it reads `metadata.name` of both kinds) through the
// index's namespaces and through the kinds' own modules, importing from `from` (the output
// relative to the consumer's project); `body` is what both share.
function twoKindsSources({ from, first, second }) {
  const body = `export const names = (a: A, b: B): string => \`\${a.metadata?.name ?? ''}/\${b.metadata?.name ?? ''}\`\n`
  return {
    body,
    index: `import type { ${first.ns} as ga, ${second.ns} as gb } from '${from}/index.js'\ntype A = ga.${first.kind}\ntype B = gb.${second.kind}\n${body}`,
    viaModules: `import type { ${first.kind} as A } from '${from}/${first.module}.js'\nimport type { ${second.kind} as B } from '${from}/${second.module}.js'\n${body}`,
  }
}

/**
 * Times a consumer using two kinds of `out` through `index.ts`, through their own modules,
 * through every module of `modules` imported directly (no index: what any index that re-exports
 * every module costs at least, since tsc loads every file a program reaches), and through their
 * own modules in a project whose tsconfig `include` covers `out` (as `include: ["src"]` does
 * for an output in `src/k8s`); each kind is `{ ns, module, kind }` (its namespace in index.ts,
 * its module path without `.js`, its type name), `modules` every module path index.ts
 * re-exports. Returns {@link timeConsumers} figures per path.
 *
 * @example
 * const { viaIndex, viaModules } = await twoKindsTsc({ out, first, second, modules, runs: 3 })
 */
export async function twoKindsTsc({ out, first, second, modules, runs }) {
  const dir = join(out, '..', 'consumers')
  const from = relative(join(dir, 'x'), out)
  const { index, viaModules, body } = twoKindsSources({ from, first, second })
  const times = await timeConsumers({
    dir,
    runs,
    consumers: {
      index,
      modules: viaModules,
      every: `${modules.map((m, i) => `import type * as $${i} from '${from}/${m}.js'\n`).join('')}type A = $${modules.indexOf(first.module)}.${first.kind}\ntype B = $${modules.indexOf(second.module)}.${second.kind}\n${body}`,
      included: { source: viaModules, include: [`${from}/**/*.ts`] },
    },
  })
  return {
    viaIndex: times.index,
    viaModules: times.modules,
    viaEveryModule: times.every,
    viaModulesIncluded: times.included,
  }
}

/**
 * The two rows of {@link twoKindsTsc}'s figures, each line prefixed with `label`: the ratio
 * (CPU, and wall beside it, with the load average of the machine), then what each path made tsc
 * load.
 *
 * @example
 * for (const row of twoKindsRows('crds-1000', figures, loadavg()[0])) console.log(row)
 */
export function twoKindsRows(
  label,
  { viaIndex, viaModules, viaEveryModule, viaModulesIncluded },
  load,
) {
  const cpu = (ms) => `${(ms / 1000).toFixed(2)} s CPU`
  const loaded = (t) =>
    `${t.files} files, ${t.lines.toLocaleString('en')} lines (parse ${t.parseS.toFixed(2)} s, bind ${t.bindS.toFixed(2)} s, check ${t.checkS.toFixed(2)} s, ${t.memoryMiB.toFixed(0)} MiB)`
  return [
    `${label}: consumer tsc --noEmit, two kinds via their modules ${cpu(viaModules.cpuMs)} (${fmt(viaModules.wallMs)} wall) · via index.ts ${cpu(viaIndex.cpuMs)} (${fmt(viaIndex.wallMs)} wall) · ${(viaIndex.cpuMs / viaModules.cpuMs).toFixed(2)}× CPU, ${(viaIndex.wallMs / viaModules.wallMs).toFixed(2)}× wall (target ≤ 1.5×) · load ${load.toFixed(1)}`,
    `${label}: consumer tsc loads, via their modules ${loaded(viaModules)} · via index.ts ${loaded(viaIndex)} · every module imported directly, no index: ${cpu(viaEveryModule.cpuMs)} = ${(viaEveryModule.cpuMs / viaIndex.cpuMs).toFixed(2)}× index.ts, ${loaded(viaEveryModule)} · via their modules with the output in the tsconfig's include: ${cpu(viaModulesIncluded.cpuMs)} = ${(viaModulesIncluded.cpuMs / viaIndex.cpuMs).toFixed(2)}× index.ts, ${loaded(viaModulesIncluded)}`,
  ]
}

/**
 * Times the index and modules paths of {@link twoKindsTsc} in each setup of `setups` (`{ name, out,
 * skipLibCheck }`: an output directory, `.ts` or the declarations of `--emit js`, and whether the
 * consumer's tsconfig sets `skipLibCheck`, as `tsc --init` writes), in projects under `dir`; one
 * row per setup, prefixed with `label`: both CPU times, their ratio, and tsc's phases via each.
 *
 * @example
 * const rows = await outputShapeRows({ label, dir, setups, first, second, runs: 3 })
 */
async function outputShapeRows({ label, dir, setups, first, second, runs }) {
  const consumers = {}
  setups.forEach(({ out, skipLibCheck }, i) => {
    const { index, viaModules } = twoKindsSources({
      from: relative(join(dir, 'x'), out),
      first,
      second,
    })
    consumers[`${i}-index`] = { source: index, skipLibCheck }
    consumers[`${i}-modules`] = { source: viaModules, skipLibCheck }
  })
  const times = await timeConsumers({ dir, runs, consumers })
  const phases = (t) =>
    `parse ${t.parseS.toFixed(2)} s, bind ${t.bindS.toFixed(2)} s, check ${t.checkS.toFixed(2)} s, ${t.memoryMiB.toFixed(0)} MiB`
  const load = loadavg()[0]
  return setups.map(({ name }, i) => {
    const [viaIndex, viaModules] = [times[`${i}-index`], times[`${i}-modules`]]
    return `${label}: consumer tsc, ${name}: via their modules ${fmt(viaModules.cpuMs)} CPU (${phases(viaModules)}) · via the index ${fmt(viaIndex.cpuMs)} CPU (${phases(viaIndex)}) · ${(viaIndex.cpuMs / viaModules.cpuMs).toFixed(2)}× CPU · load ${load.toFixed(1)}`
  })
}

async function consumerTsc(label, out, runs, declarations) {
  const index = readFileSync(join(out, 'index.ts'), 'utf8')
  const reexported = [...index.matchAll(/export \* as (\w+) from '\.\/([^']+)\.js'/g)].map(
    ([, ns, module]) => ({ ns, module }),
  )
  const crdModules = reexported.filter(({ module }) => module.includes('.example.io/'))
  const withKind = (m) => ({
    ...m,
    kind: /export const (\w+)/.exec(readFileSync(join(out, `${m.module}.ts`), 'utf8'))[1],
  })
  const first = withKind(crdModules[0])
  const second = withKind(crdModules[Math.floor(crdModules.length / 2)])
  const figures = await twoKindsTsc({
    out,
    first,
    second,
    modules: reexported.map(({ module }) => module),
    runs,
  })
  const shapes = await outputShapeRows({
    label,
    dir: join(out, '..', 'consumers-shapes'),
    setups: [
      { name: '.ts output without skipLibCheck', out, skipLibCheck: false },
      {
        name: 'declaration output (--emit js: .js + .d.ts)',
        out: declarations,
        skipLibCheck: true,
      },
      { name: 'declaration output without skipLibCheck', out: declarations, skipLibCheck: false },
    ],
    first,
    second,
    runs,
  })
  return [...twoKindsRows(label, figures, loadavg()[0]), ...shapes]
}

/**
 * `fetch` from a serving emulator into `base`, cold with generation then warm (`runs` times,
 * median), as the row's text; a fetch that fails is a figure too.
 *
 * @example
 * console.log(await fetchRow({ server, base, bin, env, runs: 3, bare: 40 }))
 */
async function fetchRow({ server, base, bin, env, runs, bare }) {
  const kubeconfig = await server.kubeconfig(join(base, 'kubeconfig'))
  const fetchArgs = [
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--out',
    join(base, 'fetched'),
    '--lockfile',
    join(base, 'fetched.lock.json'),
    '--json',
  ]
  // A fetch that fails is a figure too (the rows after it still run).
  const fetched = await cli(bin, fetchArgs, env).catch((error) => error)
  if (fetched instanceof Error) {
    const reason = /\[(K8S_CODEGEN_[A-Z_]+)\]/.exec(fetched.message)?.[1] ?? fetched.message
    return `fetch from the emulator FAILED: ${reason}`
  }
  const fetchedGvs = fetched.json.generation?.groupVersions ?? fetched.json.fetched
  // Each warm run beside a `node -e 0` under the same hook, so both see the same load.
  const warm = []
  const bareCpu = []
  for (let i = 0; i < runs; i++) {
    warm.push(await cli(bin, fetchArgs, env))
    bareCpu.push((await cli('-e', ['0'], env)).cpuMs)
  }
  const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const warmMs = middle(warm.map((r) => r.ms))
  const warmCpu = middle(warm.map((r) => r.cpuMs))
  return `fetch from the emulator, cold with generation ${fmt(fetched.ms)}, ${(fetched.ms / fetchedGvs / 1000).toFixed(3)} s per group-version, peak RSS ${mb(fetched.rss)} · warm ${fmt(warmMs)} = ${(warmMs / bare).toFixed(1)}× node -e 0 (${fmt(bare)}; target ≤ 2×) · warm CPU ${warmCpu.toFixed(0)} ms = ${(warmCpu / middle(bareCpu)).toFixed(1)}× node -e 0 (${middle(bareCpu).toFixed(0)} ms) · ${loadLine()}`
}

/**
 * The groups of rows {@link endToEnd} can run (`--rows tsc,peers`): YAML parsers, `generate
 * --crds` cold, its no-op and one edit, the emulator's start until it serves, `fetch` from it,
 * consumer `tsc`, the peers. The cold row also runs whenever a row of a count reads its output
 * (`generate`, `tsc`).
 */
export const E2E_ROWS = ['yaml', 'cold', 'generate', 'emulator', 'fetch', 'tsc', 'peers']

/**
 * Runs the end-to-end rows at each count of `counts`: every group of {@link E2E_ROWS}, or those
 * of `rows`.
 *
 * @example
 * await endToEnd({ counts: [100], work, bin, startApiServer, corpus, runs: 1, rows: ['tsc'] })
 */
export async function endToEnd({ counts, work, bin, startApiServer, corpus, runs, rows }) {
  const want = new Set(rows ?? E2E_ROWS)
  const nodeStart = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    spawnSync(process.execPath, ['-e', '0'])
    nodeStart.push(performance.now() - started)
  }
  const bare = [...nodeStart].sort((a, b) => a - b)[2]
  const corpusFiles = readdirSync(corpus, { recursive: true })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(corpus, f))
  console.log('')
  if (want.has('yaml'))
    console.log(`end to end: YAML parsers on the CRD corpus, ${yamlParsers(corpusFiles)}`)
  for (const count of counts) {
    const base = join(work, `e2e-${count}`)
    await rm(base, { recursive: true, force: true })
    const crds = join(base, 'crds')
    const synthesized = await writeCrdFiles(crds, count)
    const env = { ...process.env, K8S_CODEGEN_CACHE_DIR: join(base, 'cache') }
    const project = ['--out', join(base, 'out'), '--lockfile', join(base, 'k8s-codegen.lock.json')]
    const label = `e2e ${count} CRDs (${(synthesized.bytes / 1e6).toFixed(0)} MB of YAML)`
    if (want.has('yaml'))
      console.log(
        `${label}: YAML parsers on 50 synthesized files, ${yamlParsers(synthesized.files.slice(0, 50))}`,
      )
    try {
      let cold
      if (want.has('cold') || want.has('generate') || want.has('tsc')) {
        cold = await cli(bin, ['generate', '--crds', crds, ...project, '--json'], env)
        const gvs = cold.json.groupVersions
        console.log(
          `${label}: generate --crds cold ${fmt(cold.ms)} for ${gvs} group-versions · ${(cold.ms / gvs / 1000).toFixed(3)} s per group-version (target ≤ 0.05 s) · peak RSS ${mb(cold.rss)} (target ≤ 512 MB at 2,000) · CPU ${fmt(cold.cpuMs)}, ${(cold.cpuMs / gvs / 1000).toFixed(3)} s per group-version · ${loadLine()}`,
        )
      }
      if (want.has('generate')) {
        const noop = await medianRun(runs, () =>
          cli(bin, ['generate', '--crds', crds, ...project, '--json'], env),
        )
        console.log(
          `${label}: generate --crds no-op ${fmt(noop.ms)} wall, ${fmt(noop.cpuMs)} CPU (target ≤ 1 s at 2,000) · ${(noop.ms / bare).toFixed(1)}× node -e 0 · peak RSS ${mb(noop.rss)} · ${noop.json.written.length} files written · ${loadLine()}`,
        )
        const check = await medianRun(runs, () =>
          cli(bin, ['check', '--crds', crds, ...project, '--json'], env),
        )
        console.log(
          `${label}: check --crds no-op ${fmt(check.ms)} wall, ${fmt(check.cpuMs)} CPU · up to date: ${check.json.upToDate} · ${loadLine()}`,
        )
        const edited = synthesized.files[Math.floor(synthesized.files.length / 2)]
        const text = await readFile(edited, 'utf8')
        await writeFile(edited, text.replace(/description: /, 'description: Edited. '))
        const one = await cli(bin, ['generate', '--crds', crds, ...project, '--json'], env)
        const cache = cacheSizes(env.K8S_CODEGEN_CACHE_DIR)
        console.log(
          `${label}: one CRD edited, regenerated in ${fmt(one.ms)} wall (${(one.ms / cold.ms).toFixed(2)}× the cold run), ${fmt(one.cpuMs)} CPU (${(one.cpuMs / cold.cpuMs).toFixed(2)}× cold): ${one.json.written.length} of ${one.json.files} files rewritten (${one.json.written.join(', ')}) · cache ${cache} · ${loadLine()}`,
        )
      }

      if (want.has('emulator') || want.has('fetch')) {
        const { server, row } = await startServing(startApiServer, crds)
        console.log(`${label}: ${row}`)
        try {
          if (want.has('fetch'))
            console.log(`${label}: ${await fetchRow({ server, base, bin, env, runs, bare })}`)
        } finally {
          await server.close()
        }
      }
      if (want.has('tsc')) {
        // The same specs as a declaration output (`--emit js`), from a copy of the lockfile: a
        // generate records its options there.
        const declarations = join(base, 'out-js')
        const lockfile = join(base, 'declarations.lock.json')
        await copyFile(join(base, 'k8s-codegen.lock.json'), lockfile)
        await cli(
          bin,
          ['generate', '--emit', 'js', '--out', declarations, '--lockfile', lockfile],
          env,
        )
        for (const row of await consumerTsc(label, join(base, 'out'), runs, declarations))
          console.log(row)
      }
    } finally {
      await rm(base, { recursive: true, force: true })
    }
  }
  if (want.has('peers')) await peers({ corpus: corpusFiles, work, bin, env: process.env })
}

// The tools a user would pick instead, installed from npm into a cache beside the bench's work
// directory at bench time (never dependencies of the repository), and kept there between runs.
const PEERS = [
  {
    name: 'cdk8s import',
    spec: 'cdk8s-cli@2',
    bin: 'cdk8s',
    args: (input, out) => ['import', input, '--language', 'typescript', '--output', out],
  },
  {
    name: 'crd-generate',
    spec: '@kubernetes-models/crd-generate@5',
    bin: 'crd-generate',
    args: (input, out) => ['--input', input, '--output', out],
  },
]

async function installPeers(dir) {
  const missing = PEERS.filter((peer) => !existsSync(join(dir, 'node_modules', '.bin', peer.bin)))
  if (missing.length === 0) return
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), '{ "private": true }\n')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  // One install for all; a peer still missing afterwards is skipped with the reason.
  await run(
    npm,
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...missing.map((p) => p.spec)],
    { cwd: dir, timeout: 600_000 },
  ).catch((error) => {
    console.log(
      `peers: npm install ${missing.map((p) => p.spec).join(' ')} failed: ${error.message.split('\n')[0]}`,
    )
  })
}

/**
 * Times each peer and `generate --crds` on the real CRD corpus (one multi-document file of every
 * corpus CRD, what both peers read), each a fresh process into an empty output directory.
 *
 * @example
 * await peers({ corpus: ['crds/a.yaml'], work, bin, env: process.env })
 */
async function peers({ corpus, work, bin, env }) {
  const dir = join(work, '..', 'k8s-codegen-bench-peers')
  await installPeers(dir)
  const base = join(work, 'peers')
  await rm(base, { recursive: true, force: true })
  await mkdir(base, { recursive: true })
  const input = join(base, 'corpus.yaml')
  await writeFile(
    input,
    corpus.map((file) => readFileSync(file, 'utf8').replace(/\n*$/, '\n')).join('---\n'),
  )
  try {
    const ours = await cli(
      bin,
      [
        'generate',
        '--crds',
        input,
        '--out',
        join(base, 'ours'),
        '--lockfile',
        join(base, 'ours.lock.json'),
        '--json',
      ],
      { ...env, K8S_CODEGEN_CACHE_DIR: join(base, 'cache') },
    )
    const gvs = ours.json.groupVersions
    const label = `peers on the CRD corpus (${corpus.length} CRDs, ${gvs} group-versions)`
    const row = (name, r) =>
      `${name} ${fmt(r.ms)}, ${(r.ms / gvs / 1000).toFixed(3)} s per group-version, peak RSS ${mb(r.rss)}`
    console.log(`${label}: ${row('k8s-codegen generate --crds', ours)}`)
    for (const peer of PEERS) {
      const path = join(dir, 'node_modules', '.bin', peer.bin)
      if (!existsSync(path)) {
        console.log(`${label}: ${peer.name} (${peer.spec}) is not installed; not run`)
        continue
      }
      const out = join(base, peer.bin)
      const r = await cli(realpathSync(path), peer.args(input, out), env, { cwd: base })
      console.log(
        `${label}: ${row(`${peer.name} (${peer.spec})`, r)} · ${(r.ms / ours.ms).toFixed(2)}× ours`,
      )
    }
  } finally {
    await rm(base, { recursive: true, force: true })
  }
}
