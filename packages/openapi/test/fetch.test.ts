import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { K8sCodegenError } from '@k8s-codegen/proxy-url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenApiError } from '../src/errors.js'
import { fetchSpecs, type FetchEvent, type FetchOptions } from '../src/fetch.js'
import { sha512Hex } from '../src/hash.js'
import { loadSpecSet, openSpecSet } from '../src/load.js'
import { readLockfileText } from '../src/lockfile.js'
import { FakeSource } from './_fake-source.js'

const keys = ['api/v1', 'apis/apps/v1', 'apis/batch/v1']
let dir: string
let options: FetchOptions
let events: FetchEvent[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-fetch-'))
  events = []
  options = {
    lockfile: join(dir, 'k8s-codegen.lock.json'),
    cacheDir: join(dir, 'cache'),
    onEvent: (e) => events.push(e),
  }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function failure(promise: Promise<unknown>): Promise<OpenApiError> {
  try {
    await promise
  } catch (error) {
    return error as OpenApiError
  }
  throw new Error('expected a rejection')
}

describe('fetchSpecs (v3)', () => {
  it('cold run downloads every group-version, its discovery and /version, and locks them', async () => {
    const source = new FakeSource(keys)
    const result = await fetchSpecs(source, options)
    expect(result.summary).toMatchObject({ fetched: 3, reused: 0, unavailable: [] })
    expect(source.requests.map((r) => r.path.split('?')[0])).toEqual(
      expect.arrayContaining([
        '/openapi/v3',
        '/openapi/v3/api/v1',
        '/api/v1',
        '/apis/apps/v1',
        '/version',
      ]),
    )
    expect(result.lockfile.groupVersions['apis/apps/v1']).toMatchObject({
      status: 'ok',
      hash: source.hashOf('apis/apps/v1'),
    })
    expect(result.lockfile.serverVersion?.gitVersion).toBe('v1.28.3')
    const set = await loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    expect(set.groupVersions.map((g) => g.key)).toEqual(keys)
    expect(set.groupVersions[1]?.discovery?.resources[0]?.shortNames).toEqual(['th'])
  })

  it('warm run makes exactly one request and leaves the lockfile byte for byte', async () => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    const before = await readFile(options.lockfile)
    const mtime = (await stat(options.lockfile)).mtimeMs
    source.requests.length = 0
    const result = await fetchSpecs(source, options)
    expect(source.requests.map((r) => r.path)).toEqual(['/openapi/v3'])
    expect(result.lockfileChanged).toBe(false)
    expect(result.summary).toMatchObject({ fetched: 0, reused: 3, requests: 1 })
    expect(await readFile(options.lockfile)).toEqual(before)
    expect((await stat(options.lockfile)).mtimeMs).toBe(mtime)
  })

  // The serialization a warm run compares with the file walks entries already in the written
  // (sorted) key order without copying them: the bytes are the same either way, the cost is not.
  it.each([
    { given: 'a cold run', runs: 1 },
    { given: 'a warm run', runs: 2 },
  ])('$given returns each locked entry with its keys in the written order', async ({ runs }) => {
    const source = new FakeSource(keys)
    let result = await fetchSpecs(source, options)
    for (let run = 1; run < runs; run++) result = await fetchSpecs(source, options)
    const entries = Object.values(result.lockfile.groupVersions)
    expect(entries).toHaveLength(keys.length)
    for (const entry of entries) expect(Object.keys(entry)).toEqual(Object.keys(entry).sort())
  })

  // A caller that read the lockfile under its own lock (the CLI, for the recorded options) hands
  // it over: the fetch compares with that, and reads no file for `null`.
  it.each([
    {
      given: 'the lockfile as read',
      text: 'read',
      want: { paths: ['/openapi/v3'], changed: false },
    },
    {
      given: 'null: no lockfile',
      text: 'null',
      want: {
        paths: ['/api/v1', '/apis/apps/v1', '/apis/batch/v1', '/openapi/v3', '/version'],
        changed: true,
      },
    },
    {
      given: 'undefined: read here',
      text: 'undefined',
      want: { paths: ['/openapi/v3'], changed: false },
    },
  ] as const)('a warm run given lockfileText $given compares with it', async ({ text, want }) => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    const lockfileText = {
      read: await readLockfileText(options.lockfile),
      null: null,
      undefined: undefined,
    }[text]
    // Gone from the disk: only what the caller handed over is compared.
    if (text !== 'undefined') await rm(options.lockfile)
    source.requests.length = 0
    const result = await fetchSpecs(source, { ...options, lockfileText })
    expect({
      paths: source.requests.map((r) => r.path).sort(),
      changed: result.lockfileChanged,
    }).toEqual(want)
  })

  // A warm run compares the bytes it would write with the file it read; the same content in
  // other bytes is still an unchanged cluster (no /version) whose file is rewritten in the
  // lockfile's one form.
  const sameContent: { given: string; edit: (text: string) => string; want: boolean }[] = [
    { given: 'the bytes the last fetch wrote', edit: (text) => text, want: false },
    {
      given: 'the same content indented by four',
      edit: (text) => `${JSON.stringify(JSON.parse(text), null, 4)}\n`,
      want: true,
    },
    {
      given: 'the same content as lockfile version 1',
      edit: (text) => JSON.stringify({ ...JSON.parse(text), lockfileVersion: 1 }),
      want: true,
    },
  ]
  it.each(sameContent)(
    'a warm run on a lockfile holding $given asks only the root (rewritten: $want)',
    async ({ edit, want }) => {
      const source = new FakeSource(keys)
      await fetchSpecs(source, options)
      const written = await readFile(options.lockfile, 'utf8')
      await writeFile(options.lockfile, edit(written))
      source.requests.length = 0
      const result = await fetchSpecs(source, options)
      expect(source.requests.map((r) => r.path)).toEqual(['/openapi/v3'])
      expect(result.lockfileChanged).toBe(want)
      expect(await readFile(options.lockfile, 'utf8')).toBe(written)
    },
  )

  it('downloads only the group-version whose hash changed', async () => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    source.set('apis/apps/v1', 'changed')
    source.requests.length = 0
    const result = await fetchSpecs(source, options)
    expect(source.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/openapi/v3',
      '/openapi/v3/apis/apps/v1',
      '/apis/apps/v1',
      '/version',
    ])
    expect(result.summary).toMatchObject({ fetched: 1, reused: 2 })
  })

  it('recovers from a hash race by re-reading the root once, never following the prefix-less Location', async () => {
    const source = new FakeSource(keys)
    let raced = false
    source.intercept = (req) => {
      if (!raced && req.path.startsWith('/openapi/v3/apis/apps/v1')) {
        raced = true
        source.set('apis/apps/v1', 'raced') // the root changes between the root and the GV request
      }
      return undefined
    }
    const result = await fetchSpecs(source, options)
    const paths = source.requests.map((r) => r.path.split('?')[0])
    expect(paths.filter((p) => p === '/openapi/v3')).toHaveLength(2)
    expect(result.lockfile.groupVersions['apis/apps/v1']).toMatchObject({
      hash: source.hashOf('apis/apps/v1'),
    })
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', key: 'apis/apps/v1' }))
  })

  it('fails with HASH_STALE when the hash changes again after re-reading the root', async () => {
    const source = new FakeSource(keys)
    let n = 0
    source.intercept = (req) => {
      if (req.path.startsWith('/openapi/v3/apis/apps/v1')) source.set('apis/apps/v1', `race ${n++}`)
      return undefined
    }
    const error = await failure(fetchSpecs(source, options))
    expect(error.code).toBe('K8S_CODEGEN_OPENAPI_HASH_STALE')
    expect(error.message).toContain('apis/apps/v1')
  })

  it('records a 503 group-version as unavailable and continues', async () => {
    const source = new FakeSource(keys)
    source.unavailable.add('apis/batch/v1')
    const result = await fetchSpecs(source, options)
    expect(result.summary.unavailable).toEqual(['apis/batch/v1'])
    expect(result.lockfile.groupVersions['apis/batch/v1']).toEqual({
      group: 'batch',
      version: 'v1',
      status: 'unavailable',
      httpStatus: 503,
    })
    const set = await loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    expect(set.groupVersions.map((g) => g.key)).toEqual(['api/v1', 'apis/apps/v1'])
  })

  it('retries a wrong-hash body once, then fails naming the group-version and caches nothing', async () => {
    const source = new FakeSource(keys)
    source.intercept = (req) =>
      req.path.startsWith('/openapi/v3/apis/apps/v1')
        ? source.respond(200, '{"openapi":"3.0.0","paths":{}}', req.path)
        : undefined
    const error = await failure(fetchSpecs(source, options))
    expect(error.code).toBe('K8S_CODEGEN_OPENAPI_HASH_MISMATCH')
    expect(error.message).toContain('apis/apps/v1')
    expect(
      source.requests.filter((r) => r.path.startsWith('/openapi/v3/apis/apps/v1')),
    ).toHaveLength(2)
    await expect(stat(options.lockfile)).rejects.toThrow()
    const cached = await readdir(join(dir, 'cache', 'sha512'))
    expect(cached).not.toContain(
      sha512Hex(new TextEncoder().encode('{"openapi":"3.0.0","paths":{}}')),
    )
  })

  it.each([
    {
      given: '/openapi/v3/apis/apps/v1',
      want: /^group-version apis\/apps\/v1 could not be verified: /,
    },
    {
      given: '/apis/apps/v1',
      want: /^the resource list of apis\/apps\/v1 could not be verified: /,
    },
    { given: '/openapi/v3', want: /^the OpenAPI v3 root could not be verified: / },
  ])(
    'a body the connection saw cut short ($given) is DOCUMENT_INCOMPLETE naming it, and nothing is locked',
    async ({ given, want }) => {
      const source = new FakeSource(keys)
      source.intercept = (req) => {
        if (req.path.split('?')[0] !== given) return undefined
        throw new K8sCodegenError(
          'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
          `GET ${source.server}${req.path}: the server answered but the response body ended early`,
        )
      }
      const error = await failure(fetchSpecs(source, options))
      expect(error.code).toBe('K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE')
      expect(error.message).toMatch(want)
      expect(error.message).toContain(`${source.server}${given}`)
      await expect(stat(options.lockfile)).rejects.toThrow()
    },
  )

  it('accepts a wrong-hash body fixed on the retry', async () => {
    const source = new FakeSource(keys)
    let once = false
    source.intercept = (req) => {
      if (!once && req.path.startsWith('/openapi/v3/api/v1')) {
        once = true
        return source.respond(200, 'garbage', req.path)
      }
      return undefined
    }
    const result = await fetchSpecs(source, options)
    expect(result.summary.fetched).toBe(3)
  })

  it.each([
    { given: 'not json', want: 'K8S_CODEGEN_OPENAPI_ROOT_INVALID' },
    {
      given: '{"paths":{"api/v1":{"serverRelativeURL":"https://elsewhere/openapi/v3/api/v1"}}}',
      want: 'K8S_CODEGEN_OPENAPI_ROOT_INVALID',
    },
    { given: '[]', want: 'K8S_CODEGEN_OPENAPI_ROOT_INVALID' },
  ])('rejects the root $given with $want', async ({ given, want }) => {
    const source = new FakeSource(keys)
    source.intercept = (req) =>
      req.path === '/openapi/v3' ? source.respond(200, given, req.path) : undefined
    expect((await failure(fetchSpecs(source, options))).code).toBe(want)
  })

  it('rejects a verified document that is not JSON as DOCUMENT_INVALID', async () => {
    const source = new FakeSource(keys)
    source.docs.set('apis/apps/v1', new TextEncoder().encode('{not json'))
    const error = await failure(fetchSpecs(source, options))
    expect(error.code).toBe('K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID')
    expect(error.message).toContain('apis/apps/v1')
  })

  it('downloads again an entry whose size no longer matches the lockfile (no read on a warm run)', async () => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    await writeFile(join(dir, 'cache', 'sha512', source.hashOf('api/v1')), 'corrupt')
    const result = await fetchSpecs(source, options)
    expect(result.summary).toMatchObject({ fetched: 1, reused: 2 })
  })

  it('a same-size corrupt entry fails loadSpecSet as SPEC_TAMPERED naming it, is dropped, and the next fetch downloads it', async () => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    const path = join(dir, 'cache', 'sha512', source.hashOf('api/v1'))
    const original = await readFile(path)
    await writeFile(path, Buffer.alloc(original.byteLength, 0x20))
    await expect(
      loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir }),
    ).rejects.toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED',
      message: expect.stringContaining(
        `${path} does not hold the locked document: its SHA-512 is ${sha512Hex(Buffer.alloc(original.byteLength, 0x20))}, the lockfile expects ${source.hashOf('api/v1')}`,
      ) as string,
    })
    const result = await fetchSpecs(source, options)
    expect(result.summary).toMatchObject({ fetched: 1, reused: 2 })
    expect(await readFile(path)).toEqual(original)
  })

  it('openSpecSet reads each document only at load(), verified then: a change after opening is SPEC_TAMPERED', async () => {
    const source = new FakeSource(keys)
    await fetchSpecs(source, options)
    const set = await openSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    const eager = await loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    const loaded = await Promise.all(set.groupVersions.map((gv) => gv.load()))
    expect(loaded).toEqual(eager.groupVersions.map((gv) => gv.document))
    const path = join(dir, 'cache', 'sha512', source.hashOf('api/v1'))
    const original = await readFile(path)
    await writeFile(path, Buffer.alloc(original.byteLength, 0x20))
    const core = set.groupVersions.find((gv) => gv.key === 'api/v1')
    await expect(core?.load()).rejects.toMatchObject({ code: 'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED' })
  })

  it('applies include/exclude to the root keys', async () => {
    const source = new FakeSource(keys)
    const result = await fetchSpecs(source, {
      ...options,
      include: ['core/*', 'apps'],
      exclude: ['core/v1'],
    })
    expect(Object.keys(result.lockfile.groupVersions)).toEqual(['apis/apps/v1'])
  })

  // issue 10: `fetch --include 'app/*'` (a typo for `apps/*`) emptied the lockfile, exit 0.
  it.each([{ include: ['app/*'] }, { include: ['apps'], exclude: ['core/v2'] }])(
    'a pattern that matches no served group-version leaves the lockfile and specs as they were: $include $exclude',
    async (filters) => {
      const source = new FakeSource(keys)
      const specsDir = join(dir, 'specs')
      await fetchSpecs(source, { ...options, specsDir })
      const before = await readFile(options.lockfile, 'utf8')
      const specsBefore = await readdir(specsDir, { recursive: true })
      const error = await failure(fetchSpecs(source, { ...options, specsDir, ...filters }))
      expect(error.code).toBe('K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED')
      expect(error.message).toContain('available: apps/v1, batch/v1, core/v1')
      expect(await readFile(options.lockfile, 'utf8')).toBe(before)
      expect(await readdir(specsDir, { recursive: true })).toEqual(specsBefore)
    },
  )

  it('records the filters and the given generation options in the lockfile', async () => {
    const source = new FakeSource(keys)
    const result = await fetchSpecs(source, {
      ...options,
      include: ['api/v1'],
      generationOptions: { docs: false },
    })
    expect(result.lockfile.options).toEqual({
      docs: false,
      nocheck: true,
      emit: 'ts',
      include: ['api/v1'],
      exclude: [],
      maxDocumentBytes: 67108864,
      maxDepth: 64,
    })
    expect(JSON.parse(await readFile(options.lockfile, 'utf8'))).toMatchObject({
      options: { docs: false, include: ['api/v1'] },
    })
  })

  it('with --specs-dir keeps verified copies that loadSpecSet reads without the cache', async () => {
    const source = new FakeSource(keys)
    const specsDir = join(dir, 'specs')
    await fetchSpecs(source, { ...options, specsDir })
    expect(await readFile(join(specsDir, 'apis/apps/v1.json'))).toEqual(
      Buffer.from(source.docs.get('apis/apps/v1')!),
    )
    await rm(join(dir, 'cache'), { recursive: true })
    const set = await loadSpecSet({
      lockfile: options.lockfile,
      cacheDir: join(dir, 'empty'),
      specsDir,
    })
    expect(set.groupVersions).toHaveLength(3)
    // issue 10: a committed spec edited by hand was silently read from elsewhere (or reported
    // missing); it is a verification failure naming the file and both hashes.
    const edited = join(specsDir, 'apis/apps/v1.json')
    await writeFile(edited, '{"openapi":"3.0.0","paths":{}}')
    const tampered = await failure(
      loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir, specsDir }),
    )
    expect(tampered.code).toBe('K8S_CODEGEN_OPENAPI_SPEC_TAMPERED')
    expect(tampered.message).toContain(
      `${edited} does not hold the locked document: its SHA-512 is ${sha512Hex(Buffer.from('{"openapi":"3.0.0","paths":{}}'))}, the lockfile expects ${source.hashOf('apis/apps/v1')}`,
    )
    await writeFile(edited, source.docs.get('apis/apps/v1')!)
    source.docs.delete('apis/batch/v1')
    await fetchSpecs(source, { ...options, specsDir })
    await expect(stat(join(specsDir, 'apis/batch/v1.json'))).rejects.toThrow()
  })

  // issue 10: with a prefixed server, a root entry of `/../../../v3/…?hash=…` sent the bearer
  // token to the front proxy's own API. Such an entry is refused and named; the others are fetched.
  it.each([
    '/../../../v3/clusters?hash=',
    '/openapi/v3/../../../v3/x?hash=',
    '/openapi/v3/%2e%2e/%2E%2E/v3?hash=',
    '/v3/apps?hash=',
    '/openapi/v3//evil.example/x?hash=',
    '/openapi/v3/a\\..\\b?hash=',
  ])('refuses a serverRelativeURL that leaves <prefix>/openapi/v3/: %s', async (given) => {
    const source = new FakeSource(keys)
    source.intercept = (req) => {
      if (req.path !== '/openapi/v3') return undefined
      const root = JSON.parse(new TextDecoder().decode(source.route(req).body)) as {
        paths: Record<string, { serverRelativeURL: string }>
      }
      root.paths['apis/evil.example/v1'] = {
        serverRelativeURL: `${given}${source.hashOf('apis/apps/v1')}`,
      }
      return source.respond(200, JSON.stringify(root), req.path)
    }
    const result = await fetchSpecs(source, options)
    expect(Object.keys(result.lockfile.groupVersions)).toEqual(keys)
    // Nothing outside /openapi/v3/ but the discovery lists and /version was requested.
    expect(
      source.requests.every(
        (r) =>
          /^\/(openapi\/v3|api|apis|version)(\/|$|\?)/.test(r.path) && !r.path.includes('evil'),
      ),
    ).toBe(true)
    expect(source.requests.every((r) => !r.path.includes('..') && !/%2e/i.test(r.path))).toBe(true)
    expect(events).toContainEqual({
      type: 'warning',
      message: expect.stringContaining(
        'apis/evil.example/v1 is skipped: its serverRelativeURL',
      ) as string,
    })
  })

  it('with --openapi v3 fails NOT_SERVED on a v2-only server', async () => {
    const source = new FakeSource(keys)
    source.v3 = false
    expect((await failure(fetchSpecs(source, { ...options, openapi: 'v3' }))).code).toBe(
      'K8S_CODEGEN_OPENAPI_NOT_SERVED',
    )
  })
})

describe('fetchSpecs (v2 fallback)', () => {
  const v2 = JSON.stringify({
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.13.0' },
    paths: {
      '/api/v1/pods': {
        get: {
          produces: ['application/json'],
          responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/Pod' } } },
        },
      },
      '/apis/apps/v1/deployments': {
        get: {
          responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/Deployment' } } },
        },
      },
    },
    definitions: { Pod: { type: 'object' }, Deployment: { type: 'object' } },
  })

  it('splits /openapi/v2, then revalidates it with If-None-Match (304 → nothing else)', async () => {
    const source = new FakeSource([])
    source.v3 = false
    source.v2 = new TextEncoder().encode(v2)
    const cold = await fetchSpecs(source, options)
    expect(cold.source).toBe('v2')
    expect(Object.keys(cold.lockfile.groupVersions)).toEqual(['api/v1', 'apis/apps/v1'])
    source.requests.length = 0
    const warm = await fetchSpecs(source, options)
    expect(source.requests).toEqual([
      { path: '/openapi/v3', ifNoneMatch: undefined },
      { path: '/openapi/v2', ifNoneMatch: `"${sha512Hex(source.v2)}"` },
    ])
    expect(warm.lockfileChanged).toBe(false)
    const set = await loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    expect(set.groupVersions[0]?.document.paths['/api/v1/pods']).toBeDefined()
  })

  it('fails HASH_MISMATCH when the body differs from its ETag twice', async () => {
    const source = new FakeSource([])
    source.v3 = false
    source.v2 = new TextEncoder().encode(v2)
    source.intercept = (req) =>
      req.path === '/openapi/v2'
        ? source.respond(200, v2.replace('Pod', 'Pad'), req.path, {
            etag: `"${sha512Hex(source.v2!)}"`,
          })
        : undefined
    expect((await failure(fetchSpecs(source, options))).code).toBe(
      'K8S_CODEGEN_OPENAPI_HASH_MISMATCH',
    )
  })
})
