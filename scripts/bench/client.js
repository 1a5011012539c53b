// Benchmark of @k8s-codegen/client against @kubernetes/client-node (not a test: timings are
// printed, never asserted). Run: `npm run bench:client` (builds everything, then runs this
// file); `npm run bench:client -- --quick` for a shorter run.
//
// One emulated apiserver (recorded profile when ../shared is present, else Kubernetes 1.13; TLS,
// bearer token) lives in this process. Each client runs in its own child process
// (_client-worker.js, one adapter per client: _client-ours.js, _client-node.js) with the same
// kubeconfig, so its memory is its own; children run one at a time, in A B B A order (A B with
// --quick), and every figure is a median over them:
//   list    full lists of 10,000 ConfigMaps (seeded once here, 32 POSTs in flight) → objects/s
//   get     sequential and 16-in-flight gets of those objects → requests/s
//   watch   while the child watches, this process merge-patches ConfigMaps at 1,000/s (at most 8
//           in flight: if the emulator cannot keep up, the achieved rate is printed), then as
//           fast as 32 in flight allow: events/s, lag (patch sent → event handled, one wall
//           clock) and completeness (every event exactly once, resourceVersions rising). Both
//           are bounded by the emulator's writes, so a third phase measures the client alone:
//   replay  10,000 patches written once before any child starts; each child watches from the
//           resourceVersion before them, several times: the server replays its history as fast
//           as the client reads it → events/s
//   distinct the same for the creation of the 10,000 listed ConfigMaps: 10,000 distinct
//           objects, each new to the watch (what a client remembers per object shows here: ours
//           keeps each object's last state for a relist after a 410; a second row with
//           `relist: false` keeps none, as client-node's Watch)
//   memory  peak RSS and peak heap used over the child's start (the client's import included)
//   tsc     `tsc --noEmit` (wall, and --extendedDiagnostics check time and memory) of the same
//           small program on a Deployment and a CRD written with each client
//           (scripts/bench/client-consumer/), ours over test/consumer/generated (generated with
//           --no-nocheck, so its files are checked too) and over what `k8s-codegen fetch` writes
//           by default (`// @ts-nocheck`)
// Targets (issue 13): ≥ 1.5× client-node's throughput, ≤ 0.7× its memory. Any functional error
// (a wrong count, a missed or repeated event, a type error in a consumer file) exits non-zero.
//
// @kubernetes/client-node 2.x depends on undici 8, which needs Node ≥ 22.19 (zlib zstd,
// webidl markAsUncloneable); the root package.json overrides it to the undici 7 line
// @k8s-codegen/cluster uses, so client-node runs on the Node 20 this project supports.
import { execFile, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:https'
import { createRequire } from 'node:module'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { recordedProfileDir, startApiServer } from '../../packages/testkit/dist/index.js'

import { tscDiagnostic as diagnostic } from './_tsc.js'

const quick = process.argv.includes('--quick')
const OBJECTS = 10_000
const WATCHED_OBJECTS = 100
const SEED_IN_FLIGHT = 32
const settings = {
  objects: OBJECTS,
  listWarmup: quick ? 1 : 2,
  listRuns: quick ? 3 : 7,
  getWarmup: 200,
  getRounds: quick ? 3 : 5,
  getsPerRound: quick ? 500 : 1_000,
  inFlight: 16,
  watchPhases: ['rate', 'burst'],
  replayRuns: quick ? 3 : 5,
}
const WATCH_EVENTS = quick ? 2_000 : 5_000
const REPLAY_EVENTS = quick ? 5_000 : 10_000
const WATCH_RATE = 1_000
const BURST_IN_FLIGHT = 32
// At most this many scheduled patches in flight: when the emulator cannot keep the rate, writes
// fall behind (the achieved rate is printed) instead of queueing up as lag.
const RATE_IN_FLIGHT = 8
const TSC_RUNS = quick ? 1 : 3
const ORDER = quick ? ['ours', 'client-node'] : ['ours', 'client-node', 'client-node', 'ours']
const NAMES = { ours: '@k8s-codegen/client', 'client-node': '@kubernetes/client-node' }

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const consumerDir = join(root, 'scripts', 'bench', 'client-consumer')

const now = () => performance.timeOrigin + performance.now()
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs a node script asynchronously (the emulator lives in this process); throws on failure. */
function runNode(args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    execFile(
      process.execPath,
      args,
      { cwd: root, maxBuffer: 64 << 20, ...options },
      (error, stdout, stderr) => {
        const ms = performance.now() - started
        if (error) reject(new Error(`node ${args.join(' ')} failed:\n${stdout}${stderr}`))
        else resolve({ ms, stdout })
      },
    )
  })
}

// ---- the emulator and this process's own requests (seeding, watch writes) ----

const recorded = recordedProfileDir()
const profile = recorded === undefined ? 'kubernetes-1.13' : 'recorded'
const dir = await mkdtemp(join(tmpdir(), 'bench-client-'))
// Every watch event of the run stays in the history, so a replay is never a 410.
const server = await startApiServer({ profile, exampleCrds: true, historyWindow: 1_000_000 })
const agent = new Agent({ keepAlive: true, maxSockets: SEED_IN_FLIGHT, ca: server.caPem })

function call(method, path, body, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers = { authorization: `Bearer ${server.token}`, accept: 'application/json' }
    if (payload !== undefined) headers['content-type'] = contentType
    const req = request(`${server.url}${path}`, { method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        if ((res.statusCode ?? 0) >= 300)
          reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`))
        else resolve(text)
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function pool(count, inFlight, task) {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
}

const listNamespace = 'bench-list'
const watchNamespace = 'bench-watch'
const replayNamespace = 'bench-replay'
const configMaps = (namespace) => `/api/v1/namespaces/${namespace}/configmaps`

async function seed() {
  for (const name of [listNamespace, watchNamespace, replayNamespace])
    await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })
  // The distinct replay watches the list namespace from before its objects were created.
  const empty = JSON.parse(await call('GET', configMaps(listNamespace)))
  await pool(OBJECTS, SEED_IN_FLIGHT, (i) =>
    call('POST', configMaps(listNamespace), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `cm-${String(i).padStart(5, '0')}`,
        labels: { app: 'bench', shard: String(i % 10) },
      },
      data: { index: String(i), payload: 'x'.repeat(64) },
    }),
  )
  for (const namespace of [watchNamespace, replayNamespace])
    await pool(WATCHED_OBJECTS, SEED_IN_FLIGHT, (i) =>
      call('POST', configMaps(namespace), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `w-${i}` },
        data: {},
      }),
    )
  // The replayed history: REPLAY_EVENTS patches after the resourceVersion children watch from.
  const list = JSON.parse(await call('GET', configMaps(replayNamespace)))
  await writeEvents('replay', REPLAY_EVENTS)
  return {
    replayFrom: list.metadata.resourceVersion,
    distinctFrom: empty.metadata.resourceVersion,
  }
}

// One watch event: a merge patch of one of the watched ConfigMaps, stamped for the child.
const writeEvent = (phase, seq) =>
  call(
    'PATCH',
    `${configMaps(phase === 'replay' ? replayNamespace : watchNamespace)}/w-${seq % WATCHED_OBJECTS}`,
    { data: { phase, seq: String(seq), sentAt: String(now()) } },
    'application/merge-patch+json',
  )

// `count` patches on a schedule of WATCH_RATE per second (`rate`), or as fast as
// BURST_IN_FLIGHT allow (`burst`, and `replay`, written once before any child starts).
async function writeEvents(phase, count) {
  const firstSentAt = now()
  if (phase !== 'rate') await pool(count, BURST_IN_FLIGHT, (seq) => writeEvent(phase, seq))
  else {
    const pending = new Set()
    let sent = 0
    let failure
    while (sent < count && failure === undefined) {
      const due = Math.min(count, Math.floor(((now() - firstSentAt) * WATCH_RATE) / 1000) + 1)
      for (; sent < due && pending.size < RATE_IN_FLIGHT; sent++) {
        const write = writeEvent(phase, sent).then(
          () => pending.delete(write),
          (error) => (failure = error),
        )
        pending.add(write)
      }
      await sleep(1)
    }
    await Promise.all(pending)
    if (failure !== undefined) throw failure
  }
  return { count, firstSentAt, writeMs: now() - firstSentAt }
}

/** One child: the client's figures, or a thrown error with the child's own message. */
function runChild(client, shared) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./_client-worker.js', import.meta.url)), [], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const writes = {}
    let settled = false
    const fail = (error) => {
      if (settled) return
      settled = true
      child.kill()
      reject(error)
    }
    child.on('message', (message) => {
      if (message.type === 'watching') {
        writeEvents(message.phase, WATCH_EVENTS).then((written) => {
          writes[message.phase] = written
          child.send({ type: 'written', ...written })
        }, fail)
      } else if (message.type === 'result') {
        settled = true
        resolve({ ...message, writes })
      } else if (message.type === 'error') fail(new Error(`${NAMES[client]}: ${message.message}`))
    })
    child.on('error', fail)
    child.on('exit', (code) => fail(new Error(`${NAMES[client]}: the child exited ${code}`)))
    child.send({
      type: 'start',
      config: {
        ...settings,
        ...shared,
        client,
        listNamespace,
        watchNamespace,
        replayNamespace,
        replayEvents: REPLAY_EVENTS,
      },
    })
  })
}

// ---- consumer tsc cost ----

async function tscCost(project) {
  const diagnosed = await runNode([tsc, '--noEmit', '--extendedDiagnostics', '-p', project]).catch(
    (error) => {
      throw new Error(`${project} does not type-check: ${error.message}`)
    },
  )
  const wall = []
  for (let i = 0; i < TSC_RUNS; i++) wall.push((await runNode([tsc, '--noEmit', '-p', project])).ms)
  return {
    wallMs: median(wall),
    checkS: diagnostic(diagnosed.stdout, 'Check time'),
    totalS: diagnostic(diagnosed.stdout, 'Total time'),
    memoryMiB: diagnostic(diagnosed.stdout, 'Memory used') / 1024,
    files: diagnostic(diagnosed.stdout, 'Files'),
  }
}

// `file` over one generated directory (a scratch tsconfig points @generated/* at it).
async function tscOf(file, generated, key) {
  const project = join(dir, `tsconfig.${key}.json`)
  await writeFile(
    project,
    JSON.stringify({
      extends: join(consumerDir, 'tsconfig.json'),
      compilerOptions: {
        paths: { '@generated/*': [`${generated}/*`] },
        // From a scratch directory, @types/node is not found by walking up: name it.
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: [],
      files: [join(consumerDir, file)],
    }),
  )
  return tscCost(project)
}

// ---- the run ----

const loadBefore = loadavg()
let failed = false
try {
  const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
  const cache = join(dir, 'cache')
  const fetchGenerated = (out, ...args) =>
    runNode([
      bin,
      'fetch',
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      cache,
      '--lockfile',
      `${out}.lock.json`,
      '--out',
      out,
      ...args,
    ])
  // The generated modules import @k8s-codegen/runtime: resolve it from the scratch dir.
  await mkdir(join(dir, 'node_modules', '@k8s-codegen'), { recursive: true })
  await symlink(
    join(root, 'packages', 'runtime'),
    join(dir, 'node_modules', '@k8s-codegen', 'runtime'),
  )
  const generatedJs = join(dir, 'k8s-js')
  await fetchGenerated(generatedJs, '--include', 'core/v1', '--emit', 'js')

  const started = performance.now()
  const from = await seed()
  const seedMs = performance.now() - started

  const runs = { ours: [], 'client-node': [] }
  const shared = { kubeconfig, generated: generatedJs, ...from }
  for (const client of ORDER) runs[client].push(await runChild(client, shared))

  // test/consumer/generated comes from the consumer's own generate script (recorded specs).
  const consumerGenerated = join(root, 'test', 'consumer', 'generated')
  if (!existsSync(join(consumerGenerated, 'index.ts')))
    await runNode([join(root, 'test', 'consumer', 'scripts', 'generate.js')])
  let tscCosts
  if (existsSync(join(consumerGenerated, 'example.dev', 'v1.ts'))) {
    tscCosts = {
      node: await tscOf('client-node.ts', consumerGenerated, 'client-node'),
      consumer: await tscOf('ours.ts', consumerGenerated, 'consumer'),
    }
    // The 1.13 profile serves OpenAPI v2 only, where the CRD group is not published.
    if (profile === 'recorded') {
      const generatedTs = join(dir, 'k8s-ts')
      await fetchGenerated(
        generatedTs,
        ...['core/v1', 'apps/v1', 'example.dev/v1'].flatMap((gv) => ['--include', gv]),
      )
      tscCosts.fetched = await tscOf('ours.ts', generatedTs, 'fetched')
    }
  }

  printReport({ runs, tscCosts, seedMs, loadAfter: loadavg() })
} catch (error) {
  failed = true
  console.error(`bench:client FAILED — ${error instanceof Error ? error.message : String(error)}`)
} finally {
  agent.destroy()
  await server.close()
  await rm(dir, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0

// ---- the table ----

function printReport({ runs, tscCosts, seedMs, loadAfter }) {
  const all = (client, pick) => runs[client].flatMap(pick)
  const figure = (pick, fold = median) => ({
    ours: fold(all('ours', pick)),
    node: fold(all('client-node', pick)),
  })
  const rate = (count) => (ms) => (count / ms) * 1000
  const listRate = figure((r) => r.list.map(rate(OBJECTS)))
  const getSeq = figure((r) => r.getSequential.map(rate(settings.getsPerRound)))
  const getConc = figure((r) => r.getConcurrent.map(rate(settings.getsPerRound)))
  const watchRate = (phase) => figure((r) => [r.watch[phase].eventsPerSecond])
  const lag = (phase, p) => figure((r) => [percentile(r.watch[phase].lags, p)])
  const writes = (phase) =>
    figure((r) => [(r.writes[phase].count / r.writes[phase].writeMs) * 1000])
  const mem = (key) => figure((r) => [r.memory[key] / 1048576])

  const int = (n) => Math.round(n).toLocaleString('en-US')
  const ms = (n) => n.toFixed(1)
  const mib = (n) => n.toFixed(1)
  const rows = []
  const row = (label, values, format, target = '', higherIsBetter = true) => {
    const ratio = values.ours / values.node
    // The target's own number: `≥ 1.5`, `≥ 1`, `≤ 0.7`.
    const bound = Number(target.replace(/^[≥≤]\s*/, ''))
    const met =
      target === '' ? '' : (higherIsBetter ? ratio >= bound : ratio <= bound) ? ' met' : ' MISSED'
    rows.push([
      label,
      format(values.ours),
      format(values.node),
      `${ratio.toFixed(2)}×`,
      `${target}${met}`,
    ])
  }
  row(`list ${int(OBJECTS)} ConfigMaps (objects/s)`, listRate, int, '≥ 1.5')
  row('get, sequential (requests/s)', getSeq, int, '≥ 1.5')
  row(`get, ${settings.inFlight} in flight (requests/s)`, getConc, int, '≥ 1.5')
  row(`watch, ${int(WATCH_RATE)}/s scheduled: patches done (/s)`, writes('rate'), int)
  row('  events received (/s)', watchRate('rate'), int)
  row('  lag p50 (ms)', lag('rate', 0.5), ms)
  row('  lag p99 (ms)', lag('rate', 0.99), ms)
  row(`watch, burst: patches done (/s)`, writes('burst'), int)
  row('  events received (/s)', watchRate('burst'), int)
  row('  lag p50 (ms)', lag('burst', 0.5), ms)
  row('  lag p99 (ms)', lag('burst', 0.99), ms)
  row(
    `watch, replay of ${int(REPLAY_EVENTS)} (events/s)`,
    figure((r) => r.replay),
    int,
    '≥ 1.5',
  )
  row(
    `watch, replay of ${int(OBJECTS)} distinct objects (events/s)`,
    figure((r) => r.distinct),
    int,
    '≥ 1',
  )
  row(
    '  with { relist: false } (no per-object state)',
    figure((r) => r.distinctStateless),
    int,
    '≥ 1',
  )
  row('peak RSS (MiB)', mem('maxRss'), mib, '≤ 0.7', false)
  row('peak heap used over start (MiB)', mem('peakHeapDelta'), mib, '≤ 0.7', false)
  row('heap after loading the client (MiB)', mem('loadedHeap'), mib)
  if (tscCosts === undefined)
    rows.push([
      'tsc: SKIPPED — test/consumer/generated has no example.dev/v1 (../shared absent)',
      '',
      '',
      '',
      '',
    ])
  else {
    const { node, consumer, fetched } = tscCosts
    const sets = [['tsc, test/consumer/generated (checked: --no-nocheck)', consumer]]
    if (fetched !== undefined) sets.push(['tsc, fetch default output (// @ts-nocheck)', fetched])
    for (const [label, ours] of sets) {
      rows.push([label, '', '', '', ''])
      const s2 = (n) => n.toFixed(2)
      row('  tsc --noEmit wall (s)', { ours: ours.wallMs / 1000, node: node.wallMs / 1000 }, s2)
      row('  check time (s)', { ours: ours.checkS, node: node.checkS }, s2)
      row('  total time (s)', { ours: ours.totalS, node: node.totalS }, s2)
      row('  memory used (MiB)', { ours: ours.memoryMiB, node: node.memoryMiB }, mib)
      row('  files', { ours: ours.files, node: node.files }, int)
    }
  }

  const cpus = availableParallelism()
  console.log(
    `client bench: ${profile} profile, node ${process.version}, ${cpus} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before / ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after${quick ? ' (--quick)' : ''}`,
  )
  console.log(
    `  seeded ${int(OBJECTS)} ConfigMaps and ${int(REPLAY_EVENTS)} replayed patches in ${(seedMs / 1000).toFixed(1)} s; children ${ORDER.join(', ')}; medians of ${settings.listRuns} lists, ${settings.getRounds} × ${int(settings.getsPerRound)} gets, ${int(WATCH_EVENTS)} watch events per phase, ${settings.replayRuns} replays of ${int(REPLAY_EVENTS)} (patches: ≤ ${RATE_IN_FLIGHT} in flight on the schedule, ${BURST_IN_FLIGHT} in a burst), per child; every event delivered once, in order`,
  )
  const header = ['', NAMES.ours, NAMES['client-node'], 'ours ÷ theirs', 'target']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log(line(header))
  for (const r of rows) console.log(line(r))
}
