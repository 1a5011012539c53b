import { existsSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { JsonObject } from './_json.js'
import { scalePathsOf, type ScalePaths } from './custom-scale.js'
import {
  CRD_QUERY_PARAMETERS,
  crdFactsOf,
  crdFilesOf,
  crdsOfText,
  crdVersionTexts,
  loadCrdFiles,
  type CrdBuiltins,
  type CrdFacts,
  type CrdServing,
  type CrdVersionTexts,
  type JsonText,
} from './crd-documents.js'
import { crdWithDefaults } from './crd-defaults.js'
import { Registry, type WriteOptions } from './registry.js'
import type { ResourceInfo } from './resource-catalog.js'
import { metaOf, ObjectStore } from './store.js'

// The emulator's CRD files read on worker threads when there is much to read: the YAML parse,
// the JSON texts of the served documents and the creation of each CRD object are most of a large
// start. Objects handed from a thread to another are copied at a cost above what the parse
// saves; the workers answer with small facts and JSON texts, as UTF-8 bytes of one buffer per
// file whose ownership moves to the main thread. A worker says only *that* something failed: the
// main thread then reads that file or that CRD itself, or creates every CRD itself
// (api-server.ts), so every error is the one a read on the main thread throws, and the first one
// in file order, whatever thread finished first.

/**
 * One CRD of a file as read: its facts, per version (by index of `facts.versions`) the texts of
 * a served one, its scale paths, and as JSON text the object as created (when asked for) or as
 * read (when not created, or when what was created or a version's texts need it).
 *
 * @example
 * const read: CrdRead = { json: '{"kind":"CustomResourceDefinition"}', texts: [], scalePaths: [] }
 */
export interface CrdRead {
  /** Absent when reading them threw. */
  facts?: CrdFacts
  /** Absent for a version not served, or whose texts threw. */
  texts: (CrdVersionTexts<JsonText> | undefined)[]
  scalePaths: [string, ScalePaths][]
  /**
   * The object as {@link Registry.create} stored it, before its resourceVersion was set; absent
   * when not asked for or when creating it threw.
   */
  created?: { name: string; text: JsonText }
  /** The object as read; absent when `created` has the same `spec` and nothing else needs it. */
  json?: JsonText
}

/**
 * A file's CRDs as read, or `failed` when reading the file threw (the YAML reader's error).
 *
 * @example
 * const read: CrdFileRead = { failed: true, crds: [] }
 */
export interface CrdFileRead {
  failed?: true
  crds: CrdRead[]
}

/**
 * How the emulator creates the CRD objects it starts with: written by the server itself.
 *
 * @example
 * registry.create(info, '', crd, crdCreateOptions())
 */
export function crdCreateOptions(): WriteOptions {
  return { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Ignore', warnings: [] }
}

function readCrd(
  given: JsonObject,
  parameter: CrdBuiltins['parameter'],
  info: ResourceInfo | undefined,
): CrdRead {
  // With the server's defaults, as the create stores it: the created spec is then the spec as
  // read whenever validation prunes nothing.
  const object = info === undefined ? given : crdWithDefaults(given, info.version)
  const read: CrdRead = { texts: [], scalePaths: [...scalePathsOf([object])] }
  let keepJson = info === undefined
  try {
    read.facts = crdFactsOf(object)
  } catch {
    return { ...read, json: JSON.stringify(object) }
  }
  for (const [index, version] of read.facts.versions.entries()) {
    let texts: CrdVersionTexts | undefined
    try {
      if (version.served) texts = crdVersionTexts(object, index, parameter)
    } catch {
      keepJson = true
    }
    read.texts.push(texts)
  }
  if (info !== undefined) {
    try {
      // A store of its own: creating one CRD never meets another (the caller checks names).
      const registry = new Registry(new ObjectStore({ historyWindow: 1 }), () => undefined)
      let text = ''
      const created = registry.create(info, '', object, {
        ...crdCreateOptions(),
        measured: (json) => (text = json),
      })
      read.created = { name: metaOf(created).name, text }
      // Validation keeps what it does not prune: the same spec is the spec as read.
      if (created.spec !== object.spec) keepJson = true
    } catch {
      keepJson = true
    }
  }
  if (keepJson) read.json = JSON.stringify(object)
  return read
}

/**
 * Reads one CRD file into {@link CrdFileRead}, creating each CRD as `info`'s resource when
 * given; never throws.
 *
 * @example
 * readCrdFile('crds/widgets.yaml', (name) => parameters[name], undefined).crds[0]?.facts?.kind // 'Widget'
 */
export function readCrdFile(
  file: string,
  parameter: CrdBuiltins['parameter'],
  info: ResourceInfo | undefined,
): CrdFileRead {
  let objects: JsonObject[]
  try {
    objects = crdsOfText(readFileSync(file, 'utf8'), file)
  } catch {
    return { failed: true, crds: [] }
  }
  return { crds: objects.map((object) => readCrd(object, parameter, info)) }
}

/**
 * Parses JSON text, a string or its UTF-8 bytes.
 *
 * @example
 * parseJsonText(new TextEncoder().encode('{"a":1}')) // { a: 1 }
 */
export function parseJsonText(text: JsonText): JsonObject {
  const string =
    typeof text === 'string'
      ? text
      : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString()
  return JSON.parse(string) as JsonObject
}

// The read with each JSON text replaced by what `map` makes of it, in one order.
function mapTexts(read: CrdFileRead, map: (text: JsonText) => JsonText): CrdFileRead {
  return {
    ...read,
    crds: read.crds.map((crd) => {
      const mapped: CrdRead = {
        ...crd,
        texts: crd.texts.map(
          (texts) =>
            texts && {
              kind: map(texts.kind),
              list: map(texts.list),
              paths: texts.paths.map(([path, text]) => [path, map(text)]),
            },
        ),
      }
      if (crd.created !== undefined)
        mapped.created = { name: crd.created.name, text: map(crd.created.text) }
      if (crd.json !== undefined) mapped.json = map(crd.json)
      return mapped
    }),
  }
}

/**
 * The read with its JSON texts as UTF-8 views of one buffer: handed to another thread with the
 * buffer transferred, they are neither copied nor left to that thread's garbage collector, as
 * strings would be.
 *
 * @example
 * const { read, buffer } = packCrdFileRead(readCrdFile(file, parameter, undefined))
 * parentPort.postMessage(read, [buffer])
 */
export function packCrdFileRead(read: CrdFileRead): { read: CrdFileRead; buffer: ArrayBuffer } {
  const length = (text: JsonText): number =>
    typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength
  let total = 0
  mapTexts(read, (text) => {
    total += length(text)
    return text
  })
  const buffer = new ArrayBuffer(total)
  const bytes = Buffer.from(buffer)
  let offset = 0
  const packed = mapTexts(read, (text) => {
    const written = typeof text === 'string' ? bytes.write(text, offset) : text.byteLength
    if (typeof text !== 'string') bytes.set(text, offset)
    const view = new Uint8Array(buffer, offset, written)
    offset += written
    return view
  })
  return { read: packed, buffer }
}

/** What the worker is given: the server's query parameters by name, and what to create. */
export interface CrdReadWorkerData {
  parameters: Record<string, JsonObject | undefined>
  info: ResourceInfo | undefined
}

// Files below this many bytes in all are read on the calling thread: starting a worker and
// loading its modules costs more than reading them.
const WORKER_BYTES = 2 << 20
// A file's objects are garbage once its texts are made: a young generation that holds a few
// files' worth is collected without copying survivors to the old one.
const WORKER_YOUNG_GENERATION_MB = 64

// The compiled worker; absent when this module runs from its TypeScript sources (vitest), which
// then read on the calling thread.
const WORKER = new URL('./_crd-read-worker.js', import.meta.url)

function readOnWorkers(
  files: readonly string[],
  count: number,
  data: CrdReadWorkerData,
): Promise<CrdFileRead[]> {
  const reads: CrdFileRead[] = new Array<CrdFileRead>(files.length)
  let next = 0
  let done = 0
  const workers: Worker[] = []
  return new Promise<CrdFileRead[]>((resolve, reject) => {
    const stop = (error?: Error): void => {
      for (const worker of workers) void worker.terminate()
      if (error === undefined) resolve(reads)
      else reject(error)
    }
    const give = (worker: Worker): void => {
      if (next < files.length) {
        worker.postMessage({ index: next, file: files[next] })
        next += 1
      }
    }
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER, {
        workerData: data,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      })
      workers.push(worker)
      worker.on('message', ({ index, read }: { index: number; read: CrdFileRead }) => {
        reads[index] = read
        done += 1
        if (done === files.length) stop()
        else give(worker)
      })
      worker.on('error', (error: Error) => stop(error))
      worker.on('exit', (code) => {
        if (done < files.length) stop(new Error(`a CRD reading worker exited with code ${code}`))
      })
      give(worker)
    }
  })
}

/**
 * The CRDs of these files and directories, read as {@link readCrdFiles} reads them.
 *
 * @example
 * const read: ReadCrds = await readCrdFiles(['crds/'], builtins.parameter, undefined)
 */
export interface ReadCrds {
  crds: CrdServing[]
  /** What the `/openapi/v2` additions read: each CRD's spec as read, parsed once, on first call. */
  specs: () => JsonObject[]
  /** The CRD objects as read (read again from the files when only created forms were kept). */
  objects: () => JsonObject[]
  scalePaths: Map<string, ScalePaths>
  /**
   * The objects as `info`'s resource created them, as JSON texts, in order; absent when not
   * asked for or when creating one threw.
   */
  created?: { info: ResourceInfo; objects: { name: string; text: JsonText }[] }
}

/**
 * The CRDs of these files and directories ({@link crdFilesOf}), read on worker threads when they
 * are large, with the errors and their order of {@link loadCrdFiles} then {@link serveCrds}:
 * the first file that does not read, then the first CRD whose facts do not. Each CRD is also
 * created as `info`'s resource when given, off this thread, to be stored later as created.
 *
 * @example
 * const read = await readCrdFiles(['crds/'], builtins.parameter, undefined)
 * serveCrdParts(read.crds, builtins, read.specs)
 */
export async function readCrdFiles(
  paths: readonly string[],
  parameter: CrdBuiltins['parameter'],
  info: ResourceInfo | undefined,
): Promise<ReadCrds> {
  const files = crdFilesOf(paths)
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0)
  const count = Math.min(availableParallelism(), 4, Math.ceil(bytes / WORKER_BYTES))
  const reads =
    bytes >= WORKER_BYTES && existsSync(fileURLToPath(WORKER))
      ? await readOnWorkers(files, count, {
          parameters: Object.fromEntries(CRD_QUERY_PARAMETERS.map((n) => [n, parameter(n)])),
          info,
        })
      : files.map((file) => readCrdFile(file, parameter, info))
  for (const [i, read] of reads.entries()) {
    // Read again here, to throw the reader's own error.
    if (read.failed) crdsOfText(readFileSync(files[i] as string, 'utf8'), files[i] as string)
  }
  const all = reads.flatMap((read) => read.crds)
  const parsed: (JsonObject | undefined)[] = new Array<JsonObject | undefined>(all.length)
  // A CRD as read, or as created when that has the same spec: all a served text reads.
  const specAt = (i: number): JsonObject => {
    const read = all[i] as CrdRead
    return (parsed[i] ??= parseJsonText(read.json ?? read.created?.text ?? ''))
  }
  const crds = all.map((read, i): CrdServing => {
    // Read again here, to throw what reading a malformed CRD throws.
    const facts = read.facts ?? crdFactsOf(specAt(i))
    return {
      facts,
      texts: (index) => read.texts[index] ?? crdVersionTexts(specAt(i), index, parameter),
    }
  })
  const created = all.flatMap((read) => (read.created === undefined ? [] : [read.created]))
  return {
    crds,
    specs: () => all.map((_, i) => specAt(i)),
    objects: () =>
      all.every((read) => read.json !== undefined)
        ? all.map((read) => parseJsonText(read.json as JsonText))
        : loadCrdFiles(paths),
    scalePaths: new Map(all.flatMap((read) => read.scalePaths)),
    ...(info !== undefined && created.length === all.length
      ? { created: { info, objects: created } }
      : {}),
  }
}
