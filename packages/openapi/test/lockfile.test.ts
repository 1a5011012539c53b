import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  getLockfile,
  parseLockfile,
  readLockfile,
  serializeLockfile,
  writeLockfile,
  type Lockfile,
} from '../src/lockfile.js'

const H = 'A'.repeat(128)
const lock: Lockfile = {
  lockfileVersion: 2,
  source: 'v3',
  serverVersion: { major: '1', minor: '28', gitVersion: 'v1.28.3' },
  groupVersions: {
    'apis/apps/v1': {
      group: 'apps',
      version: 'v1',
      status: 'ok',
      hash: H,
      bytes: 10,
      discovery: { hash: H, bytes: 2 },
    },
    'api/v1': { group: '', version: 'v1', status: 'ok', hash: H, bytes: 5 },
    'apis/example.dev/v1': {
      group: 'example.dev',
      version: 'v1',
      status: 'ok',
      hash: H,
      bytes: 7,
      discovery: { hash: H, bytes: 2 },
      crdFacts: { hash: H, bytes: 3 },
    },
    'apis/metrics.k8s.io/v1beta1': {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      status: 'unavailable',
      httpStatus: 503,
    },
  },
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-lock-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('serializeLockfile', () => {
  it('sorts keys at every level, indents by two and ends with a newline', () => {
    const text = serializeLockfile(lock)
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.indexOf('"api/v1"')).toBeLessThan(text.indexOf('"apis/apps/v1"'))
    expect(text.indexOf('"groupVersions"')).toBeLessThan(text.indexOf('"lockfileVersion"'))
  })

  it('gives the same bytes whatever the insertion order (property)', () => {
    const entries = Object.entries(lock.groupVersions)
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), (shuffled) => {
        expect(serializeLockfile({ ...lock, groupVersions: Object.fromEntries(shuffled) })).toBe(
          serializeLockfile(lock),
        )
      }),
    )
  })

  it('round-trips through parseLockfile', () => {
    expect(parseLockfile(JSON.parse(serializeLockfile(lock)), 'x')).toEqual(lock)
  })
})

describe('parseLockfile', () => {
  it.each([
    { given: { ...lock, lockfileVersion: 0 }, want: 'lockfileVersion must be 1 or 2' },
    {
      given: { ...lock, lockfileVersion: 3 },
      want: 'has lockfileVersion 3, written by a newer k8s-codegen; this one reads versions 1 to 2: upgrade k8s-codegen',
    },
    { given: { ...lock, out: '' }, want: 'out must be a non-empty path' },
    { given: { ...lock, crds: {} }, want: 'crds must be an array' },
    {
      given: {
        ...lock,
        crds: [{ paths: ['crds'], files: { 'crds/a.yaml': 'x' }, groupVersions: [] }],
      },
      want: 'crds[0].files must map each path to its uppercase hex SHA-512',
    },
    {
      given: {
        ...lock,
        crds: [{ paths: ['crds'], files: {}, groupVersions: ['apis/example.com/v1'] }],
      },
      want: "crds[0] names group-version 'apis/example.com/v1', which groupVersions lacks",
    },
    { given: { ...lock, source: 'v4' }, want: "source must be 'v3' or 'v2'" },
    {
      given: { ...lock, groupVersions: { apps: {} } },
      want: "key 'apps' is not a group-version key",
    },
    {
      given: {
        ...lock,
        groupVersions: { 'api/v1': { group: 'x', version: 'v1', status: 'ok', hash: H, bytes: 1 } },
      },
      want: "must name group ''",
    },
    {
      given: {
        ...lock,
        groupVersions: {
          'api/v1': { group: '', version: 'v1', status: 'ok', hash: 'abc', bytes: 1 },
        },
      },
      want: 'uppercase hex SHA-512',
    },
    {
      given: {
        ...lock,
        groupVersions: {
          'api/v1': {
            ...{ group: '', version: 'v1', status: 'ok', hash: H, bytes: 1 },
            crdFacts: { hash: H },
          },
        },
      },
      want: "groupVersions['api/v1'].crdFacts must be { hash: <uppercase hex SHA-512>, bytes: <integer> }",
    },
    {
      given: { ...lock, groupVersions: { 'api/v1': { group: '', version: 'v1', status: 'gone' } } },
      want: "status must be 'ok' or 'unavailable'",
    },
  ])('rejects: $want', ({ given, want }) => {
    expect(() => parseLockfile(given, '/p/k8s-codegen.lock.json')).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID',
        message: expect.stringContaining(want) as string,
      }),
    )
  })

  // Not a k8s-codegen lockfile at all: a file of yours the lockfile path names, never replaced.
  it.each([
    { given: [], want: 'its content is not a JSON object' },
    { given: { name: 'my-app', version: '1.0.0' }, want: 'it has no numeric lockfileVersion' },
    // npm's package-lock.json: a lockfileVersion, but no groupVersions.
    {
      given: { name: 'my-app', lockfileVersion: 3, packages: {} },
      want: 'it has no numeric lockfileVersion and groupVersions object',
    },
    {
      given: { name: 'my-app', lockfileVersion: 2, packages: {} },
      want: 'it has no numeric lockfileVersion and groupVersions object',
    },
    { given: { ...lock, lockfileVersion: '2' }, want: 'it has no numeric lockfileVersion' },
  ])('refuses as not a lockfile: $want', ({ given, want }) => {
    expect(() => parseLockfile(given, '/p/package.json')).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT',
        message: expect.stringContaining(
          `--lockfile /p/package.json is not a k8s-codegen lockfile (${want}`,
        ) as string,
      }),
    )
  })

  it('reads a version-1 lockfile as this version (migrated on the next write)', () => {
    const v1 = { ...lock, lockfileVersion: 1 }
    expect(v1).not.toHaveProperty('crds')
    expect(parseLockfile(v1, 'x')).toEqual({ ...lock, lockfileVersion: 2 })
  })
})

describe('read/write', () => {
  it('writes only when the bytes change', async () => {
    const path = join(dir, 'sub', 'k8s-codegen.lock.json')
    expect(await writeLockfile(path, lock)).toBe(true)
    expect(await writeLockfile(path, lock)).toBe(false)
    expect(await readLockfile(path)).toEqual(lock)
    expect(await readFile(path, 'utf8')).toBe(serializeLockfile(lock))
  })

  it('reports a missing lockfile as undefined or LOCKFILE_MISSING, and a non-JSON file as not a lockfile', async () => {
    const path = join(dir, 'k8s-codegen.lock.json')
    expect(await getLockfile(path)).toBeUndefined()
    await expect(readLockfile(path)).rejects.toThrow('does not exist; run `k8s-codegen fetch`')
    await writeFile(path, '{')
    await expect(getLockfile(path)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT',
      message: expect.stringContaining(
        `--lockfile ${path} is not a k8s-codegen lockfile (its content is not JSON)`,
      ) as string,
    })
  })
})
