// A bearer token read from a file and re-read periodically, reproducing client-go
// `transport/token_source.go` (`NewCachedFileTokenSource`: a fileTokenSource whose tokens expire
// after one minute, wrapped in a cachingTokenSource with 10 s leeway that keeps serving the last
// good token when a re-read fails) and `rest/transport.go` (the file wins over a static token).
import { readFile } from 'node:fs/promises'
import type { Redactor } from '../redact.js'

/** client-go re-reads after 1 min minus 10 s leeway. */
export const TOKEN_FILE_REFRESH_MS = 50_000

export interface FileTokenSourceOptions {
  file: string
  /** the user's static `token`, used only while the file has never been read successfully */
  fallback?: string | undefined
  /** who the file belongs to, for messages (`user "dev"`) */
  owner: string
  clock: () => number
  redactor: Redactor
  onWarning?: ((message: string) => void) | undefined
}

/** Reads a token file at most every {@link TOKEN_FILE_REFRESH_MS}; the last good read wins. */
export class FileTokenSource {
  readonly #options: FileTokenSourceOptions
  #cached: { token: string; readAt: number } | undefined
  #pending: Promise<string> | undefined

  constructor(options: FileTokenSourceOptions) {
    this.#options = options
  }

  token(): Promise<string> {
    const cached = this.#cached
    if (cached !== undefined && this.#options.clock() - cached.readAt < TOKEN_FILE_REFRESH_MS) {
      return Promise.resolve(cached.token)
    }
    this.#pending ??= this.#read().finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  async #read(): Promise<string> {
    const { file, owner, redactor } = this.#options
    let problem: string
    let cause: unknown
    try {
      const token = (await readFile(file, 'utf8')).trim()
      if (token !== '') {
        redactor.add(token)
        this.#cached = { token, readAt: this.#options.clock() }
        return token
      }
      problem = 'is empty'
    } catch (error) {
      problem = `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`
      cause = error
    }
    const fallback = this.#cached?.token ?? this.#options.fallback
    if (fallback !== undefined) {
      this.#options.onWarning?.(
        `tokenFile ${file} of ${owner} ${problem}; using the last token that was read`,
      )
      // Retry the file on the next period, not on every request.
      this.#cached = { token: fallback, readAt: this.#options.clock() }
      return fallback
    }
    throw redactor.error(
      'K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE',
      `tokenFile ${file} of ${owner} ${problem}`,
      cause,
    )
  }
}
