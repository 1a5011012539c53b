// A container's log as a stream of lines: `GET …/pods/{name}/log` (kubernetes
// `pkg/registry/core/pod/rest/log.go`, `text/plain`, flushed per write with `follow`), read as it
// arrives and split into lines like `kubectl logs` prints them. Only descriptors with a `log`
// subresource (core/v1 Pod) compile.
import type { ResourceInfo, SubresourceInfo } from '@k8s-codegen/runtime'

import { LineTooLongError, lines } from './_lines.js'
import { pathOf } from './_resolve.js'
import { openStream } from './_stream.js'
import { streamFailure, withQuery, type ClientContext } from './_transport.js'
import { ClientError } from './errors.js'

/**
 * A descriptor whose objects have a log (`pods/log`): generated core/v1 Pod.
 *
 * @example
 * const pods: LogResource = Pod
 */
export type LogResource = ResourceInfo & {
  readonly subresources: { readonly log: SubresourceInfo }
}

/**
 * Options of {@link logs}: the pod, then `PodLogOptions` (core/v1) by their wire names.
 *
 * @example
 * const options: LogOptions = { namespace: 'web', name: 'api-0', container: 'app', follow: true, tailLines: 100 }
 */
export interface LogOptions {
  namespace: string
  name: string
  /** Required when the pod has several containers (the server answers 400 otherwise). */
  container?: string
  /** Keep streaming lines as the container writes them, until it stops or the pod goes. */
  follow?: boolean
  /** Only the last N lines (before `since…` filtering). */
  tailLines?: number
  sinceSeconds?: number
  /** An RFC 3339 time. */
  sinceTime?: string
  /** Each line starts with its RFC3339Nano time and a space. */
  timestamps?: boolean
  /** Stop after this many bytes (the last line may be cut). */
  limitBytes?: number
  /** The previous (terminated) instance of the container. */
  previous?: boolean
  /** Aborting ends the iteration (no error) and closes the connection. */
  signal?: AbortSignal
  /** Longest line accepted; default 1 MiB. */
  maxLineBytes?: number
}

/**
 * The lines of a container's log (without their `\n`); with `follow` the iteration lasts until
 * the server ends the stream, `signal` aborts or the loop breaks.
 */
export async function* logs(
  context: ClientContext,
  resource: LogResource,
  options: LogOptions,
): AsyncGenerator<string, void, undefined> {
  const { signal } = options
  const path = pathOf(resource, {
    namespace: options.namespace,
    name: options.name,
    subresource: 'log',
  })
  const request = withQuery(path, {
    container: options.container,
    follow: options.follow === true ? true : undefined,
    tailLines: options.tailLines,
    sinceSeconds: options.sinceSeconds,
    sinceTime: options.sinceTime,
    timestamps: options.timestamps === true ? true : undefined,
    limitBytes: options.limitBytes,
    previous: options.previous === true ? true : undefined,
  })
  let stream
  try {
    stream = await openStream(context, {
      method: 'GET',
      path: request,
      accept: 'text/plain, application/json',
      signal,
    })
  } catch (error) {
    if (signal?.aborted === true) return
    throw error
  }
  try {
    if (stream.status < 200 || stream.status > 299)
      throw await streamFailure(context, stream, 'GET', request, { resource, name: options.name })
    yield* lines(stream.body, options.maxLineBytes ?? 1024 * 1024)
  } catch (error) {
    if (signal?.aborted === true) return
    if (error instanceof LineTooLongError) {
      throw new ClientError(
        'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
        `GET ${request}: a log line is longer than ${error.limit} bytes (maxLineBytes)`,
        { cause: error },
      )
    }
    throw error
  } finally {
    await stream.cancel()
  }
}
