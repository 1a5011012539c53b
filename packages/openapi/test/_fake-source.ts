import { sha512Hex } from '../src/hash.js'
import type { SpecResponse, SpecSource } from '../src/fetch.js'

// An in-memory apiserver speaking the /openapi/v3 protocol (kube-openapi pkg/handler3): a root
// of serverRelativeURLs with hashes, documents answering 301 for a stale hash. Tests script
// faults through `intercept`.
export interface FakeRequest {
  path: string
  ifNoneMatch: string | undefined
}

const encoder = new TextEncoder()

function docFor(key: string, marker = ''): string {
  return JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: { [`/${key}/things`]: { get: { description: `list things ${marker}` } } },
  })
}

export class FakeSource implements SpecSource {
  readonly server = 'https://fake.invalid/prefix'
  readonly requests: FakeRequest[] = []
  readonly docs = new Map<string, Uint8Array>()
  unavailable = new Set<string>()
  v3 = true
  v2: Uint8Array | undefined
  intercept: ((req: FakeRequest) => SpecResponse | undefined) | undefined

  constructor(keys: string[]) {
    for (const key of keys) this.set(key)
  }

  set(key: string, marker = ''): void {
    this.docs.set(key, encoder.encode(docFor(key, marker)))
  }

  hashOf(key: string): string {
    return sha512Hex(this.docs.get(key)!)
  }

  respond(
    status: number,
    body: string | Uint8Array,
    path: string,
    headers: Record<string, string> = {},
  ): SpecResponse {
    return {
      status,
      headers,
      body: typeof body === 'string' ? encoder.encode(body) : body,
      url: `${this.server}${path}`,
    }
  }

  request(path: string, options: { ifNoneMatch?: string } = {}): Promise<SpecResponse> {
    const req = { path, ifNoneMatch: options.ifNoneMatch }
    this.requests.push(req)
    const intercepted = this.intercept?.(req)
    return Promise.resolve(intercepted ?? this.route(req))
  }

  route({ path, ifNoneMatch }: FakeRequest): SpecResponse {
    const [pathname = '', query = ''] = path.split('?')
    if (pathname === '/openapi/v3') {
      if (!this.v3) return this.respond(404, 'not found', path)
      const paths: Record<string, unknown> = {
        apis: { serverRelativeURL: '/openapi/v3/apis?hash=AB' },
        version: {},
      }
      for (const key of this.docs.keys())
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.hashOf(key)}` }
      return this.respond(200, JSON.stringify({ paths }), path)
    }
    if (pathname === '/openapi/v2') {
      if (!this.v2) return this.respond(404, 'not found', path)
      const etag = `"${sha512Hex(this.v2)}"`
      if (ifNoneMatch === etag) return this.respond(304, '', path, { etag })
      return this.respond(200, this.v2, path, { etag })
    }
    if (pathname === '/version')
      return this.respond(
        200,
        JSON.stringify({ major: '1', minor: '28', gitVersion: 'v1.28.3' }),
        path,
      )
    if (pathname.startsWith('/openapi/v3/')) {
      const key = pathname.slice('/openapi/v3/'.length)
      if (this.unavailable.has(key)) return this.respond(503, 'service unavailable', path)
      const doc = this.docs.get(key)
      if (!doc) return this.respond(404, 'not found', path)
      const hash = this.hashOf(key)
      if (query !== `hash=${hash}`)
        return this.respond(301, '', path, { location: `/openapi/v3/${key}?hash=${hash}` })
      return this.respond(200, doc, path, { etag: `"${hash}"` })
    }
    const key = pathname.slice(1)
    if (this.docs.has(key) || this.v2) {
      const groupVersion = key.startsWith('api/') ? key.slice(4) : key.slice(5)
      return this.respond(
        200,
        JSON.stringify({
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion,
          resources: [
            {
              name: 'things',
              singularName: 'thing',
              namespaced: true,
              kind: 'Thing',
              verbs: ['get'],
              shortNames: ['th'],
            },
          ],
        }),
        path,
      )
    }
    return this.respond(404, 'not found', path)
  }
}
