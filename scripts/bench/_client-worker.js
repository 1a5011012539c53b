// One client's side of `npm run bench:client`, in its own process (forked by client.js with
// --expose-gc) so its memory is its own. The parent sends one `start` message
// ({ client, kubeconfig, generated, listNamespace, watchNamespace, objects, runs… }); this
// process loads only that client's adapter (_client-ours.js or _client-node.js: open() →
// { list, get, watch, close }), then:
//   list   warm-up lists, then `listRuns` full lists of the list namespace (each must hold
//          `objects` items) → per-list ms
//   get    rounds of sequential gets, then rounds with `inFlight` gets in flight → per-round ms
//   watch  per phase the parent names (rate, burst): list the watch namespace for its
//          resourceVersion, watch from it, say `watching`; the parent patches ConfigMaps carrying
//          data.phase/seq/sentAt and says `written`; every seq must arrive exactly once with
//          rising resourceVersions
//   replay `replayRuns` watches of the replay namespace from `replayFrom`, the resourceVersion
//          before the parent's `replayEvents` patches there: the server replays its history as
//          fast as this client reads it
//   distinct `replayRuns` watches of the list namespace from `distinctFrom`, the resourceVersion
//          before its `objects` ConfigMaps were created: `objects` ADDED events of distinct
//          objects, each index exactly once; then the same with `{ relist: false }` (a watch
//          that keeps no per-object state; client-node's Watch never keeps any)
// and answers one `result` message (figures, memory) or an `error` message, then exits.
import process from 'node:process'

const sampleEveryMs = 10
const watchGraceMs = 15_000

// Wall-clock milliseconds with sub-ms resolution, comparable with the parent's.
const now = () => performance.timeOrigin + performance.now()

// Memory: heapUsed relative to before the client was imported, peaks sampled on a timer and
// after each operation (a list is parsed synchronously: the timer cannot see inside it).
global.gc?.()
const baseline = process.memoryUsage()
const memory = { peakHeapUsed: baseline.heapUsed, peakRss: baseline.rss }
const sample = () => {
  const m = process.memoryUsage()
  memory.peakHeapUsed = Math.max(memory.peakHeapUsed, m.heapUsed)
  memory.peakRss = Math.max(memory.peakRss, m.rss)
}
const sampler = setInterval(sample, sampleEveryMs)

const send = (message) => new Promise((resolve) => process.send(message, resolve))
let onMessage = () => undefined
process.on('message', (message) => onMessage(message))
const nextMessage = (type) =>
  new Promise((resolve) => {
    onMessage = (message) => {
      if (message.type === type) resolve(message)
    }
  })

async function timeEach(runs, task) {
  const ms = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await task(i)
    ms.push(performance.now() - started)
    sample()
  }
  return ms
}

async function pool(count, inFlight, task) {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
}

const nameOf = (i) => `cm-${String(i).padStart(5, '0')}`

async function listPhase(client, config) {
  const check = async () => {
    const { items } = await client.list(config.listNamespace)
    sample()
    if (items !== config.objects)
      throw new Error(`list returned ${items} ConfigMaps, expected ${config.objects}`)
  }
  for (let i = 0; i < config.listWarmup; i++) await check()
  return timeEach(config.listRuns, check)
}

async function getPhase(client, config, inFlight) {
  // A stride through the objects, so consecutive gets read different ones.
  const getOne = async (i) => {
    const name = nameOf((i * 7919) % config.objects)
    const got = await client.get(config.listNamespace, name)
    if (got !== name) throw new Error(`get ${name} returned ${String(got)}`)
  }
  await pool(config.getWarmup, inFlight, getOne)
  return timeEach(config.getRounds, (round) =>
    pool(config.getsPerRound, inFlight, (i) => getOne(round * config.getsPerRound + i)),
  )
}

// The seq an event carries in `phase`, or NaN: the parent's patches (MODIFIED, `data.seq`), or
// for `distinct` the creation of the listed ConfigMaps (ADDED, `data.index`).
function seqOf(phase, type, data) {
  if (phase === 'distinct') return type === 'ADDED' ? Number(data?.index) : NaN
  return type === 'MODIFIED' && data?.phase === phase ? Number(data.seq) : NaN
}

// One watch from `resourceVersion` collecting the events of `phase`: every seq exactly once,
// resourceVersions rising. `until(expected)` waits for all of them (or the grace time), stops
// the watch and throws on anything missing, repeated or out of order.
function collect(client, namespace, resourceVersion, phase, watchOptions = {}) {
  const received = new Map()
  const lags = []
  let lastVersion = -1
  let lastAt = 0
  let failure
  let complete
  let expected = Infinity
  const done = new Promise((resolve) => (complete = resolve))
  const onEvent = (type, object) => {
    const at = now()
    const data = object?.data
    const seq = seqOf(phase, type, data)
    if (Number.isNaN(seq)) return
    const version = Number(object.metadata?.resourceVersion)
    if (!(version > lastVersion))
      failure ??= new Error(`${phase}: resourceVersion ${version} after ${lastVersion}`)
    lastVersion = version
    if (received.has(seq)) failure ??= new Error(`${phase}: seq ${seq} delivered twice`)
    received.set(seq, at)
    if (data.sentAt !== undefined) lags.push(at - Number(data.sentAt))
    lastAt = at
    if (received.size >= expected) complete()
  }
  const openedAt = now()
  const stop = client.watch(
    namespace,
    resourceVersion,
    onEvent,
    (error) => {
      failure ??= error
      complete()
    },
    watchOptions,
  )
  return {
    openedAt,
    async until(count) {
      expected = count
      if (received.size >= expected) complete()
      const timer = setTimeout(complete, watchGraceMs)
      await done
      clearTimeout(timer)
      stop()
      sample()
      if (failure !== undefined) throw failure
      const missing = []
      for (let seq = 0; seq < expected; seq++) if (!received.has(seq)) missing.push(seq)
      if (missing.length > 0)
        throw new Error(
          `${phase}: ${missing.length} of ${expected} events never arrived (first: seq ${missing[0]})`,
        )
      return { lastAt, lags }
    },
  }
}

// Live: the parent writes while this process watches.
async function watchPhase(client, config, phase) {
  const { resourceVersion } = await client.list(config.watchNamespace)
  const watch = collect(client, config.watchNamespace, resourceVersion, phase)
  await send({ type: 'watching', phase })
  const written = await nextMessage('written')
  const { lastAt, lags } = await watch.until(written.count)
  return { eventsPerSecond: (written.count / (lastAt - written.firstSentAt)) * 1000, lags }
}

// Replay: the parent wrote `replayEvents` patches before any child started; each run watches
// from the resourceVersion before them, so the server sends its history as fast as this client
// reads it.
async function replayPhase(client, config) {
  const rates = []
  for (let run = 0; run < config.replayRuns; run++) {
    const watch = collect(client, config.replayNamespace, config.replayFrom, 'replay')
    const { lastAt } = await watch.until(config.replayEvents)
    rates.push((config.replayEvents / (lastAt - watch.openedAt)) * 1000)
  }
  return rates
}

// Distinct objects: the creation of the list namespace's ConfigMaps, replayed; every event is a
// new object to the watch.
async function distinctPhase(client, config, options) {
  const rates = []
  for (let run = 0; run < config.replayRuns; run++) {
    const watch = collect(client, config.listNamespace, config.distinctFrom, 'distinct', options)
    const { lastAt } = await watch.until(config.objects)
    rates.push((config.objects / (lastAt - watch.openedAt)) * 1000)
  }
  return rates
}

async function main(config) {
  const adapter =
    config.client === 'ours' ? await import('./_client-ours.js') : await import('./_client-node.js')
  const client = await adapter.open(config)
  global.gc?.()
  const loadedHeap = process.memoryUsage().heapUsed - baseline.heapUsed
  try {
    const list = await listPhase(client, config)
    const getSequential = await getPhase(client, config, 1)
    const getConcurrent = await getPhase(client, config, config.inFlight)
    const watch = {}
    for (const phase of config.watchPhases) watch[phase] = await watchPhase(client, config, phase)
    const replay = await replayPhase(client, config)
    const distinct = await distinctPhase(client, config, {})
    const distinctStateless = await distinctPhase(client, config, { relist: false })
    clearInterval(sampler)
    sample()
    await send({
      type: 'result',
      list,
      getSequential,
      getConcurrent,
      watch,
      replay,
      distinct,
      distinctStateless,
      memory: {
        loadedHeap,
        peakHeapDelta: memory.peakHeapUsed - baseline.heapUsed,
        peakRssSampled: memory.peakRss,
        // resourceUsage().maxRSS is in kilobytes.
        maxRss: process.resourceUsage().maxRSS * 1024,
      },
    })
  } finally {
    await client.close()
  }
}

const start = await nextMessage('start')
try {
  await main(start.config)
} catch (error) {
  clearInterval(sampler)
  await send({ type: 'error', message: error instanceof Error ? error.stack : String(error) })
}
// Idle keep-alive sockets of either client would hold the process open for seconds.
process.exit(0)
