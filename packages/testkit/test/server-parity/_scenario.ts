// Scenarios of the server-parity suite and the runner that turns one into a normalised
// transcript against one server. A scenario runs in its own namespace (`{ns}` in paths and
// bodies), created before its first step and outside the transcript, so scenarios never see
// each other's objects and their order does not matter.
import { isDeepStrictEqual } from 'node:util'
import type { ApiServer } from '../../src/index.js'
import { get, openWatch, type RawResponse } from '../_client.js'
import { Normaliser } from './_normalise.js'

/** The part of `ApiServer` both servers have. */
export type ParityServer = Pick<ApiServer, 'url' | 'caPem' | 'token' | 'close'>

/** One HTTP exchange. */
export interface Request {
  /** Default GET. */
  method?: string
  /** Without the server's prefix; `{ns}` is the scenario's namespace. */
  path: string
  /** An object is sent as JSON (`{ns}` replaced in its strings), a string as it is. */
  body?: unknown
  contentType?: string
  accept?: string
  /** The bearer token to send instead of the server's own (a service account's). */
  token?: string
  /** What of the body to compare (default: all of it), for documents too big to read as a whole. */
  view?: (body: unknown) => unknown
}

/** A watch stream read until `events` events arrived or the server ended it. */
export interface Watch {
  watch: string
  /** Default: until the server ends the stream (a `timeoutSeconds` watch). */
  events?: number
  /** Requests sent once the watch is open; their answers come before the events. */
  during?: Step[]
}

/** A request or watch, or one built from the raw answers so far (to send a resourceVersion). */
export type Step = Request | Watch | ((answers: Answer[]) => Request | Watch)

/** A raw answer (before normalisation), for steps built from earlier ones. */
export interface Answer {
  status: number
  body: unknown
}

export interface Scenario {
  name: string
  /** Writes before the transcript starts (their answers are not compared). */
  setup?: Step[]
  steps: Step[]
}

/**
 * A row of a parity table: `want` lists where the emulator's transcript differs from
 * kube-apiserver's (see {@link differingParts}) and the simplifications — rows of the testkit
 * README's table, by their first words — that explain them; absent when the two are equal.
 */
export interface ParityRow {
  given: Scenario
  want?: { simplifications: string[]; differences: string[] }
}

const watchBound = 15_000

/** What a run may do besides the scenario's steps (tests of the suite itself). */
export interface RunOptions {
  /** Runs before every step, outside the transcript: another client's writes. */
  between?: () => Promise<void>
  /** Replaces the items of every list answer before normalisation: a server answering wrongly. */
  rewrite?: (items: unknown[]) => unknown[]
}

/** Runs a scenario against `server` and returns its normalised transcript. */
export async function runScenario(
  server: ParityServer,
  scenario: Scenario,
  namespace: string,
  options: RunOptions = {},
): Promise<unknown[]> {
  const normaliser = new Normaliser(new URL(server.url).host)
  const answers: Answer[] = []
  const created = await get(server, '/api/v1/namespaces', {
    method: 'POST',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  })
  if (created.status !== 201)
    throw new Error(`namespace ${namespace}: ${created.status} ${created.body.toString()}`)
  const raw: Raw[] = []
  for (const step of scenario.setup ?? []) await perform(server, step, namespace, answers, [])
  for (const answer of answers) normaliser.observe(answer.body)
  for (const step of scenario.steps) {
    await options.between?.()
    await perform(server, step, namespace, answers, raw)
  }
  if (options.rewrite !== undefined) for (const entry of raw) rewriteItems(entry, options.rewrite)
  return raw.map((entry) => normalise(entry, normaliser, namespace))
}

type Raw =
  | { request: string; response: RawResponse; view: ((body: unknown) => unknown) | undefined }
  | {
      watch: string
      status: number
      during: Raw[]
      events: unknown[]
    }

async function perform(
  server: ParityServer,
  given: Step,
  namespace: string,
  answers: Answer[],
  raw: Raw[],
): Promise<void> {
  const step = typeof given === 'function' ? given(answers) : given
  if ('watch' in step) {
    const stream = await openWatch(server, fill(step.watch, namespace))
    const during: Raw[] = []
    for (const inner of step.during ?? []) await perform(server, inner, namespace, answers, during)
    const bound = new Promise<void>((resolve) => setTimeout(resolve, watchBound).unref())
    await Promise.race([
      step.events === undefined ? stream.ended : stream.waitFor(step.events).catch(() => {}),
      stream.ended,
      bound,
    ])
    stream.close()
    const events = [...stream.events]
    for (const event of events) answers.push({ status: stream.status, body: event })
    raw.push({ watch: step.watch, status: stream.status, during, events })
    return
  }
  const headers: Record<string, string> = {}
  if (step.contentType !== undefined) headers['content-type'] = step.contentType
  if (step.accept !== undefined) headers['accept'] = step.accept
  const body =
    step.body === undefined
      ? undefined
      : typeof step.body === 'string'
        ? fill(step.body, namespace)
        : fill(JSON.stringify(step.body), namespace)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await get(server, fill(step.path, namespace), {
    method: step.method ?? 'GET',
    headers,
    ...(step.token === undefined ? {} : { token: step.token }),
    ...(body === undefined ? {} : { body }),
  })
  answers.push({ status: response.status, body: parse(response) })
  raw.push({ request: `${step.method ?? 'GET'} ${step.path}`, response, view: step.view })
}

function rewriteItems(entry: Raw, rewrite: (items: unknown[]) => unknown[]): void {
  if ('watch' in entry) return
  const body = parse(entry.response)
  if (!isRecord(body) || !Array.isArray(body['items'])) return
  entry.response.body = Buffer.from(JSON.stringify({ ...body, items: rewrite(body['items']) }))
}

function fill(text: string, namespace: string): string {
  return text.replaceAll('{ns}', namespace)
}

function parse(response: RawResponse): unknown {
  const type = String(response.headers['content-type'] ?? '')
  const text = response.body.toString('utf8')
  if (type.includes('json') && text !== '') {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

// The namespace name is the runner's, not the server's: it becomes `{ns}` again.
function normalise(entry: Raw, normaliser: Normaliser, namespace: string): unknown {
  const renamed = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value ?? null).replaceAll(namespace, '{ns}'))
  if ('watch' in entry) {
    const opened = normaliser.newest
    return {
      watch: normaliser.request(entry.watch),
      status: entry.status,
      during: entry.during.map((inner) => normalise(inner, normaliser, namespace)),
      events: renamed(normaliser.events(entry.watch, entry.events, opened)),
    }
  }
  const request = normaliser.request(entry.request)
  const body = parse(entry.response)
  return {
    request,
    status: entry.response.status,
    headers: renamed(normaliser.headers(entry.response.headers)),
    body: renamed(
      normaliser.answer(entry.request, entry.view === undefined ? body : entry.view(body)),
    ),
  }
}

/**
 * Where two transcripts differ: `#<step>.<json path>` of every differing leaf (a value on one
 * side only counts as differing), in transcript order.
 */
export function differences(emulated: unknown, real: unknown, at = ''): string[] {
  if (isDeepStrictEqual(emulated, real)) return []
  if (Array.isArray(emulated) && Array.isArray(real)) {
    const out: string[] = []
    for (let i = 0; i < Math.max(emulated.length, real.length); i++) {
      const here = at === '' ? `#${i}` : `${at}[${i}]`
      out.push(...differences(emulated[i], real[i], here))
    }
    return out
  }
  if (isRecord(emulated) && isRecord(real)) {
    const out: string[] = []
    const keys = [...new Set([...Object.keys(emulated), ...Object.keys(real)])]
    for (const key of keys) out.push(...differences(emulated[key], real[key], `${at}.${key}`))
    return out
  }
  return [at]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The differing paths of {@link differences}, each cut to its step and three levels below it,
 * list indexes dropped (`#0.body.spec.template`, `#2.body.items[].data`), sorted and unique: what
 * a row names, so one cause shows as one entry.
 */
export function differingParts(emulated: unknown, real: unknown): string[] {
  const parts = differences(emulated, real).map((path) => {
    const [step = '', ...rest] = path.replace(/\[\d+\]/g, '[]').split('.')
    return [step, ...rest.slice(0, 3)].join('.')
  })
  return [...new Set(parts)].sort()
}
