// `GET /api/v1/namespaces/{ns}/pods/{name}/log`: kubernetes `pkg/registry/core/pod/rest/log.go`
// LogREST.Get (ValidatePodLogOptions, then `pkg/registry/core/pod/strategy.go` LogLocation picks
// the container), streamed as `text/plain` by apiserver `pkg/registry/generic/rest/streamer.go`
// LocationStreamer (flushed per write when following). There is no kubelet: what a container
// printed comes from `appendPodLog`, and the kubelet's reading rules are reproduced here
// (`pkg/kubelet/kuberuntime/logs/logs.go` ReadLogs: tail first, then since, timestamps in
// RFC3339Nano with all nine digits, limitBytes cutting mid-line; `pkg/kubelet/kubelet_pods.go`
// validateContainerLogStatus for `previous`).
import type { ServerResponse } from 'node:http'
import type { Exchange } from './_exchange.js'
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import { queryBool } from './_query.js'
import { TestkitError } from './errors.js'
import type { Registry } from './registry.js'
import type { ResourceInfo } from './resource-catalog.js'
import { badRequest, invalid, type StatusCause } from './status-errors.js'
import type { ObjectStore } from './store.js'

/** Which container's log `appendPodLog` writes to. */
export interface PodLogTarget {
  namespace: string
  pod: string
  /** Required when the pod has several containers (as for `kubectl logs -c`). */
  container?: string
}

interface LogLine {
  /** Milliseconds since the epoch. */
  time: number
  text: string
}

interface ContainerLog {
  current: LogLine[]
  /** The log of the instance before the last restart (`?previous=true`). */
  previous: LogLine[] | undefined
  followers: Set<(line: LogLine) => void>
}

// Go `time.RFC3339Nano` as the kubelet formats it (`types.RFC3339NanoFixed`): nine digits.
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

function containerNames(pod: JsonObject, field: string): string[] {
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
  const list = spec[field]
  if (!Array.isArray(list)) return []
  return list.filter(isJsonObject).map((c) => scalarText(c['name']))
}

function metadata(pod: JsonObject): JsonObject {
  return isJsonObject(pod['metadata']) ? pod['metadata'] : {}
}

/** The log of every container of every pod, by pod uid (a recreated pod starts empty). */
export class PodLogs {
  readonly #logs = new Map<string, ContainerLog>()
  readonly #registry: Registry
  readonly #pods: () => ResourceInfo | undefined
  /** Ends the follow streams of a pod uid when the pod goes. */
  readonly #closers = new Map<string, Set<() => void>>()

  constructor(registry: Registry, store: ObjectStore, pods: () => ResourceInfo | undefined) {
    this.#registry = registry
    this.#pods = pods
    store.subscribe((event) => {
      if (event.collection !== '/pods' || event.type !== 'DELETED') return
      const uid = scalarText(metadata(event.object)['uid'])
      for (const key of [...this.#logs.keys()])
        if (key.startsWith(`${uid}/`)) this.#logs.delete(key)
      for (const close of this.#closers.get(uid) ?? []) close()
      this.#closers.delete(uid)
    })
  }

  #podOrThrow(target: PodLogTarget, what: string): { pod: JsonObject; container: string } {
    const info = this.#pods()
    const pod =
      info === undefined
        ? undefined
        : this.#registry.store.get('/pods', target.namespace, target.pod)
    if (pod === undefined) {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
        `${what}: pod ${target.namespace}/${target.pod} does not exist`,
      )
    }
    const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
    if (scalarText(spec['nodeName']) === '') {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
        `${what}: pod ${target.namespace}/${target.pod} has no spec.nodeName, so no kubelet runs it and the apiserver serves it an empty log`,
      )
    }
    const all = [
      ...containerNames(pod, 'containers'),
      ...containerNames(pod, 'initContainers'),
      ...containerNames(pod, 'ephemeralContainers'),
    ]
    const main = containerNames(pod, 'containers')
    const container = target.container ?? (main.length === 1 ? (main[0] ?? '') : '')
    if (!all.includes(container)) {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
        `${what}: container ${JSON.stringify(target.container ?? '')} is not one of pod ${target.namespace}/${target.pod}'s containers [${all.join(' ')}]`,
      )
    }
    return { pod, container }
  }

  #log(uid: string, container: string): ContainerLog {
    const key = `${uid}/${container}`
    let log = this.#logs.get(key)
    if (log === undefined) {
      log = { current: [], previous: undefined, followers: new Set() }
      this.#logs.set(key, log)
    }
    return log
  }

  /** Appends what a container printed: one log line per `\n`-terminated line (a last line without one counts). */
  append(target: PodLogTarget, text: string): void {
    const { pod, container } = this.#podOrThrow(target, 'appendPodLog')
    const log = this.#log(scalarText(metadata(pod)['uid']), container)
    const lines = text.split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    const time = Date.now()
    for (const line of lines) {
      const entry = { time, text: line }
      log.current.push(entry)
      for (const follower of log.followers) follower(entry)
    }
  }

  /** The container restarts: its log becomes the previous instance's, the new one starts empty. */
  restart(target: PodLogTarget): void {
    const { pod, container } = this.#podOrThrow(target, 'restartPodContainer')
    const log = this.#log(scalarText(metadata(pod)['uid']), container)
    log.previous = log.current
    log.current = []
    for (const follower of [...log.followers]) follower({ time: -1, text: '' })
  }

  /** Serves `GET …/pods/{name}/log`. */
  serve(exchange: Exchange, info: ResourceInfo, namespace: string, name: string): void {
    const { search } = exchange
    const pod = this.#registry.getOrThrow(info, namespace, name)
    const options = logOptions(search, name)
    // LogLocation: the container (a single one may be omitted).
    const main = containerNames(pod, 'containers')
    let container = options.container
    if (container === '') {
      if (main.length === 1) container = main[0] ?? ''
      else if (main.length === 0)
        throw badRequest(`a container name must be specified for pod ${name}`)
      else {
        const init = containerNames(pod, 'initContainers')
        let message = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`
        if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`
        throw badRequest(message)
      }
    } else {
      const all = [
        ...main,
        ...containerNames(pod, 'initContainers'),
        ...containerNames(pod, 'ephemeralContainers'),
      ]
      if (!all.includes(container))
        throw badRequest(`container ${container} is not valid for pod ${name}`)
    }
    const head = {
      ...exchange.cacheControl,
      'Content-Type': 'text/plain',
      'Transfer-Encoding': 'chunked',
    }
    const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
    const uid = scalarText(metadata(pod)['uid'])
    // LogLocation: a pod not yet assigned to a node has no location, so the LocationStreamer has
    // no stream and apiserver responsewriters.go StreamObject answers 204 No Content.
    if (scalarText(spec['nodeName']) === '') {
      exchange.stream(204, { ...exchange.cacheControl }).end()
      return
    }
    const log = this.#log(uid, container)
    if (options.previous && log.previous === undefined) {
      // The kubelet's 400 body, which GenericHttpResponseChecker turns into a BadRequest.
      throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`)
    }
    const lines = options.previous ? (log.previous ?? []) : log.current
    const since = options.sinceMs
    let budget = options.limitBytes ?? Number.POSITIVE_INFINITY
    const res = exchange.stream(200, head)
    const write = (line: LogLine): boolean => {
      if (line.time < since) return true
      const text = `${options.timestamps ? `${timestamp(line.time)} ` : ''}${line.text}\n`
      const bytes = Buffer.from(text)
      if (bytes.length >= budget) {
        if (budget > 0) res.write(bytes.subarray(0, budget))
        budget = 0
        return false
      }
      budget -= bytes.length
      res.write(bytes)
      return true
    }
    const start =
      options.tailLines === undefined ? 0 : Math.max(0, lines.length - options.tailLines)
    for (const line of lines.slice(start)) {
      if (!write(line)) {
        res.end()
        return
      }
    }
    if (!options.follow || options.previous) {
      res.end()
      return
    }
    this.#follow(res, uid, log, write)
  }

  #follow(
    res: ServerResponse,
    uid: string,
    log: ContainerLog,
    write: (line: LogLine) => boolean,
  ): void {
    let closers = this.#closers.get(uid)
    if (closers === undefined) {
      closers = new Set()
      this.#closers.set(uid, closers)
    }
    const done = (): void => {
      log.followers.delete(follower)
      closers.delete(done)
      if (!res.writableEnded) res.end()
    }
    // A restart ends the stream, as the kubelet's follow ends when its container exits.
    const follower = (line: LogLine): void => {
      if (line.time < 0 || !write(line)) done()
    }
    log.followers.add(follower)
    closers.add(done)
    res.on('close', done)
  }
}

interface LogOptions {
  container: string
  follow: boolean
  previous: boolean
  timestamps: boolean
  tailLines: number | undefined
  limitBytes: number | undefined
  /** Lines older than this (ms since the epoch) are skipped; 0 for all. */
  sinceMs: number
}

// Query decoding (the parameter codec: a non-integer is a 400) and ValidatePodLogOptions
// (kubernetes `pkg/apis/core/validation/validation.go`).
function logOptions(search: URLSearchParams, name: string): LogOptions {
  const integer = (field: string): number | undefined => {
    const value = search.get(field)
    if (value === null) return undefined
    if (!/^-?\d+$/.test(value))
      throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`)
    return Number(value)
  }
  const tailLines = integer('tailLines')
  const limitBytes = integer('limitBytes')
  const sinceSeconds = integer('sinceSeconds')
  const sinceTime = search.get('sinceTime')
  const causes: StatusCause[] = []
  if (tailLines !== undefined && tailLines < 0) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${tailLines}: must be greater than or equal to 0`,
      field: 'tailLines',
    })
  }
  if (limitBytes !== undefined && limitBytes < 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${limitBytes}: must be greater than 0`,
      field: 'limitBytes',
    })
  }
  if (sinceSeconds !== undefined && sinceTime !== null) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
      field: '',
    })
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${sinceSeconds}: must be greater than 0`,
      field: 'sinceSeconds',
    })
  }
  if (causes.length > 0) throw invalid({ group: '', kind: 'PodLogOptions' }, name, causes)
  let sinceMs = 0
  if (sinceSeconds !== undefined) sinceMs = Date.now() - sinceSeconds * 1000
  else if (sinceTime !== null) {
    sinceMs = Date.parse(sinceTime)
    if (Number.isNaN(sinceMs))
      throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as RFC3339: cannot parse`)
  }
  return {
    container: search.get('container') ?? '',
    follow: queryBool(search, 'follow'),
    previous: queryBool(search, 'previous'),
    timestamps: queryBool(search, 'timestamps'),
    tailLines,
    limitBytes,
    sinceMs,
  }
}
