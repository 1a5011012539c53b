import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import {
  appendFile,
  cp,
  mkdtemp,
  readFile,
  rename,
  rm,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// A `generate` (or `check`) that finds nothing changed since the last generation of the same plan
// answers from the record that generation left in the cache, reading no CRD file, document or
// output file; anything that may have changed makes it generate as before (and record anew).
// Whether a run used the record is seen from the record file itself: a run that generates
// replaces it (a new inode), one that answers from it leaves it alone.
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const ADDED = fileURLToPath(
  new URL(
    'corpus/crds/external-snapshotter/snapshot.storage.k8s.io_volumesnapshotclasses.yaml',
    import.meta.url,
  ),
)
const dirs: string[] = []

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

interface Summary {
  exitCode: number
  upToDate: boolean
  written: string[]
  removed: string[]
  lockfileChanged: boolean
  crds: { lockfileChanged: boolean }
  elapsedMs: number
}

async function run(dir: string, args: string[]): Promise<{ code: number; summary: Summary }> {
  const result = await runMain([...args, '--out', 'k8s', '--json'], {
    cwd: dir,
    cacheDir: join(dir, 'cache'),
  })
  return { code: result.code, summary: JSON.parse(result.stdout) as Summary }
}

const GENERATE = ['generate', '--crds', 'crds']

/** A project whose output was generated from the test CRDs: the record is there. */
async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-generation-record-'))
  dirs.push(dir)
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  const cold = await run(dir, GENERATE)
  expect(cold.code, JSON.stringify(cold.summary)).toBe(0)
  return dir
}

function recordFile(dir: string): string {
  const records = join(dir, 'cache', 'generations')
  const names = readdirSync(records).filter((name) => name.endsWith('.json'))
  expect(names).toHaveLength(1)
  return join(records, names[0] as string)
}

/** The record file's identity: a run that records anew replaces it by rename. */
function recordIdentity(dir: string): string {
  const stats = statSync(recordFile(dir), { bigint: true })
  return `${stats.ino}:${stats.mtimeNs}`
}

// The record file's layout (generation-record.ts): a seal line, the record without its modules
// and the modules, one JSON line each.
const SEAL = /^k8s-codegen generation record (\d+) sha256:[0-9a-f]{64}\n/

interface RecordFields {
  key: string
  files: { path: string; racy: boolean }[]
}

/** The record, its modules beside it, and its format, as the file holds them. */
async function readRecord(
  dir: string,
): Promise<{ format: string | undefined; record: RecordFields; modules: unknown }> {
  const text = await readFile(recordFile(dir), 'utf8')
  const [head, modules] = text.slice(text.indexOf('\n') + 1).split('\n') as [string, string]
  return {
    format: SEAL.exec(text)?.[1],
    record: JSON.parse(head) as RecordFields,
    modules: JSON.parse(modules) as unknown,
  }
}

/**
 * Reseals the record after `edit` (the record with its modules), as a record another generator
 * wrote would be sealed: in the current layout, or in `{ sha256, record }` as format 3 and
 * older wrote it.
 */
async function editRecord(
  dir: string,
  edit: (record: { key: string }) => void,
  layout: 'current' | 'format 3' = 'current',
): Promise<void> {
  const path = recordFile(dir)
  const { format, record: fields, modules } = await readRecord(dir)
  expect(format).toBe('4')
  const record = { ...fields, modules }
  edit(record)
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
  if (layout === 'format 3') {
    await writeFile(path, `${JSON.stringify({ sha256: sha256(JSON.stringify(record)), record })}\n`)
    return
  }
  const { modules: edited, ...rest } = record as { modules: unknown }
  const body = `${JSON.stringify(rest)}\n${JSON.stringify(edited)}\n`
  await writeFile(path, `k8s-codegen generation record ${format} sha256:${sha256(body)}\n${body}`)
}

const sha256Json = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex')

// What generation-record.ts keys a record of GENERATE by: the resolved plan and the code of the
// converter and the generator (format 1), and since format 2 the format too (3: the record also
// holds each module's key and files, and its format; 4: the file's layout).
async function keyMaterial(dir: string): Promise<{ plan: unknown; generator: string[] }> {
  const [{ resolvePlan }, { converterId }, { generatorId }] = await Promise.all([
    import('../src/generation.js'),
    import('@k8s-codegen/openapi'),
    import('@k8s-codegen/codegen'),
  ])
  const plan = await resolvePlan(
    { json: true, crds: ['crds'], out: 'k8s' },
    {
      stdout: () => undefined,
      stderr: () => undefined,
      stderrIsTTY: false,
      env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
      cwd: dir,
      exitCode: 0,
    },
  )
  return { plan, generator: [converterId(), generatorId()] }
}

const WIDGETS = 'crds/widgets.yaml'

type Change = (dir: string) => Promise<void>
const changes: Record<string, Change> = {
  'nothing changed': async () => {},
  'a file added to --out beside the generated ones (not generated output)': (dir) =>
    writeFile(join(dir, 'k8s', 'NOTES.md'), 'mine\n'),
  'a CRD file touched, its content the same': async (dir) => {
    const later = new Date(Date.now() + 5_000)
    await utimes(join(dir, WIDGETS), later, later)
  },
  'a CRD file edited to the same size within the same second': async (dir) => {
    const path = join(dir, WIDGETS)
    const before = statSync(path)
    const text = await readFile(path, 'utf8')
    const edited = text.replace('number of widget replicas', 'number of gadget replicas')
    expect(edited.length).toBe(text.length)
    expect(edited).not.toBe(text)
    await writeFile(path, edited)
    await utimes(path, before.atime, before.mtime)
  },
  'a CRD file added': (dir) => cp(ADDED, join(dir, 'crds', 'snapshots.yaml')),
  'a CRD file removed': (dir) => rm(join(dir, 'crds', 'nested', 'gadgets.json')),
  'a CRD file renamed': (dir) =>
    rename(join(dir, 'crds', 'nested', 'gadgets.json'), join(dir, 'crds', 'nested', 'g.json')),
  'an output file edited': (dir) => appendFile(join(dir, 'k8s', 'example.dev', 'v1.ts'), '//\n'),
  'an output file deleted': (dir) => rm(join(dir, 'k8s', 'example.dev', 'v1.ts')),
  'the lockfile edited (its recorded options)': async (dir) => {
    const path = join(dir, 'k8s-codegen.lock.json')
    const lock = JSON.parse(await readFile(path, 'utf8')) as { options: { docs: boolean } }
    lock.options.docs = false
    await writeFile(path, `${JSON.stringify(lock, null, 2)}\n`)
  },
  'a record written by another generator': (dir) =>
    editRecord(dir, (record) => {
      record.key = createHash('sha256').update('another generator').digest('hex')
    }),
  'a record of the older format 1 (its key without the format, stamps mtime:ctime:ino:dev)': async (
    dir,
  ) => {
    const material = await keyMaterial(dir)
    await editRecord(
      dir,
      (record) => {
        // The material is what the run keyed its record by (with the format, or without it).
        expect([sha256Json({ ...material, format: 4 }), sha256Json(material)]).toContain(record.key)
        record.key = sha256Json(material)
        const { files } = record as unknown as { files: { path: string; stat: string }[] }
        for (const file of files) {
          const stats = statSync(file.path, { bigint: true })
          file.stat = `${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}`
        }
        delete (record as { modules?: unknown }).modules
      },
      'format 3',
    )
  },
  'a record of the older format 2 (without the modules of the output)': async (dir) => {
    const material = await keyMaterial(dir)
    await editRecord(
      dir,
      (record) => {
        expect(record.key).toBe(sha256Json({ ...material, format: 4 }))
        record.key = sha256Json({ ...material, format: 2 })
        delete (record as { modules?: unknown }).modules
      },
      'format 3',
    )
  },
  'a record of format 3 (one JSON document, sealed over its serialization)': async (dir) => {
    const material = await keyMaterial(dir)
    await editRecord(
      dir,
      (record) => {
        expect(record.key).toBe(sha256Json({ ...material, format: 4 }))
        record.key = sha256Json({ ...material, format: 3 })
        Object.assign(record, { format: 3 })
      },
      'format 3',
    )
  },
  'the record cut short (a run killed while writing it)': async (dir) => {
    const path = recordFile(dir)
    await truncate(path, Math.floor(statSync(path).size / 2))
  },
  'the record damaged (one hash changed, seal kept)': async (dir) => {
    const path = recordFile(dir)
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace(/"hash":"sha256:[0-9a-f]/, '"hash":"sha256:g'))
  },
  'a journal in --out left by a killed run': (dir) =>
    writeFile(
      join(dir, 'k8s', '.k8s-codegen-journal.json'),
      `${JSON.stringify({ pid: 2 ** 22 + 1, state: 'prepare' })}\n`,
    ),
  'the cached documents removed': (dir) => rm(join(dir, 'cache', 'sha512'), { recursive: true }),
}

describe('a no-op generate answers from the record of the last generation', () => {
  const ALL = [
    'autoscaling/v1.ts',
    'example.dev/v1.ts',
    'example.dev/v1beta1.ts',
    'index.ts',
    'meta/v1.ts',
  ]
  // autoscaling/v1 and meta/v1 hold the schemas example.dev/v1 is the first to use.
  const FROM_V1 = ['autoscaling/v1.ts', 'example.dev/v1.ts', 'meta/v1.ts']
  const rows: {
    given: keyof typeof changes
    args?: string[]
    want: {
      fromRecord: boolean
      upToDate: boolean
      written?: string[]
      /** The generation recorded options in the lockfile. */
      lockfileChanged?: boolean
      /** The CRD step changed the lockfile. */
      crdsChanged?: boolean
    }
  }[] = [
    { given: 'nothing changed', want: { fromRecord: true, upToDate: true } },
    {
      given: 'a file added to --out beside the generated ones (not generated output)',
      want: { fromRecord: true, upToDate: true },
    },
    {
      given: 'a CRD file touched, its content the same',
      want: { fromRecord: true, upToDate: true },
    },
    {
      given: 'a CRD file edited to the same size within the same second',
      want: { fromRecord: false, upToDate: false, written: FROM_V1, crdsChanged: true },
    },
    {
      given: 'a CRD file added',
      want: {
        fromRecord: false,
        upToDate: false,
        written: ['index.ts', 'snapshot.storage.k8s.io/v1.ts'],
        crdsChanged: true,
      },
    },
    {
      given: 'a CRD file removed',
      want: {
        fromRecord: false,
        upToDate: false,
        written: [...FROM_V1, 'index.ts'].sort(),
        crdsChanged: true,
      },
    },
    {
      given: 'a CRD file renamed',
      want: { fromRecord: false, upToDate: true, crdsChanged: true },
    },
    {
      given: 'an output file edited',
      want: { fromRecord: false, upToDate: false, written: ['example.dev/v1.ts'] },
    },
    {
      given: 'an output file deleted',
      want: { fromRecord: false, upToDate: false, written: ['example.dev/v1.ts'] },
    },
    {
      given: 'nothing changed',
      args: ['--no-docs'],
      want: { fromRecord: false, upToDate: false, written: ALL, lockfileChanged: true },
    },
    {
      given: 'the lockfile edited (its recorded options)',
      want: { fromRecord: false, upToDate: false, written: ALL },
    },
    { given: 'a record written by another generator', want: { fromRecord: false, upToDate: true } },
    // Treated as absent (its stamps would never match: every run would re-hash every file it
    // watches) and replaced by one of the current format, which the next run answers from.
    {
      given:
        'a record of the older format 1 (its key without the format, stamps mtime:ctime:ino:dev)',
      want: { fromRecord: false, upToDate: true },
    },
    {
      given: 'a record of the older format 2 (without the modules of the output)',
      want: { fromRecord: false, upToDate: true },
    },
    {
      given: 'a record of format 3 (one JSON document, sealed over its serialization)',
      want: { fromRecord: false, upToDate: true },
    },
    {
      given: 'the record cut short (a run killed while writing it)',
      want: { fromRecord: false, upToDate: true },
    },
    {
      given: 'the record damaged (one hash changed, seal kept)',
      want: { fromRecord: false, upToDate: true },
    },
    {
      given: 'a journal in --out left by a killed run',
      want: { fromRecord: false, upToDate: true },
    },
    { given: 'the cached documents removed', want: { fromRecord: false, upToDate: true } },
  ]
  it.each(rows)('$given $args', { timeout: 120_000 }, async ({ given, args = [], want }) => {
    const dir = await project()
    await changes[given]?.(dir)
    // After the change: a row that edits the record itself must see the run replace it.
    const before = recordIdentity(dir)
    const { code, summary } = await run(dir, [...GENERATE, ...args])
    expect(code, JSON.stringify(summary)).toBe(0)
    expect(recordIdentity(dir) === before).toBe(want.fromRecord)
    expect(summary.upToDate).toBe(want.upToDate)
    expect(summary.written).toEqual(want.written ?? [])
    expect(summary.removed).toEqual([])
    // The run's: the CRD step's write counts (json-lockfile-changed-in-every-mode.test.ts).
    expect(summary.lockfileChanged).toBe(want.lockfileChanged ?? want.crdsChanged ?? false)
    expect(summary.crds.lockfileChanged).toBe(want.crdsChanged ?? false)
    // What it recorded holds: the same run again answers from the record, up to date.
    const again = await run(dir, [...GENERATE, ...args])
    const recorded = recordIdentity(dir)
    expect(again.summary.upToDate).toBe(true)
    expect((await run(dir, [...GENERATE, ...args])).summary.written).toEqual([])
    expect(recordIdentity(dir)).toBe(recorded)
  })
})

describe('racy entries (git racy-git.txt): a file not older than the recording run', () => {
  it(
    'is marked in the record and re-hashed by every run, which still answers from the record',
    {
      timeout: 120_000,
    },
    async () => {
      const dir = await project()
      const widgets = join(dir, WIDGETS)
      const future = new Date(Date.now() + 3_600_000)
      await utimes(widgets, future, future)
      await rm(recordFile(dir))
      expect((await run(dir, GENERATE)).summary.upToDate).toBe(true)
      const { record } = await readRecord(dir)
      const racy = (path: string): boolean | undefined =>
        record.files.find((file) => file.path === path)?.racy
      expect(racy(widgets)).toBe(true)
      expect(racy(join(dir, 'crds', 'nested', 'gadgets.json'))).toBe(false)
      const before = recordIdentity(dir)
      expect((await run(dir, GENERATE)).summary.upToDate).toBe(true)
      expect(recordIdentity(dir)).toBe(before)
      const text = await readFile(widgets, 'utf8')
      await writeFile(
        widgets,
        text.replace('number of widget replicas', 'number of gadget replicas'),
      )
      await utimes(widgets, future, future)
      const edited = await run(dir, GENERATE)
      expect(edited.summary.written).toContain('example.dev/v1.ts')
    },
  )
})

describe('check answers from the same record, its exit codes unchanged', () => {
  const rows: { given: keyof typeof changes; args?: string[]; want: { exitCode: number } }[] = [
    { given: 'nothing changed', want: { exitCode: 0 } },
    {
      given: 'a file added to --out beside the generated ones (not generated output)',
      want: { exitCode: 0 },
    },
    { given: 'a CRD file touched, its content the same', want: { exitCode: 0 } },
    { given: 'a CRD file edited to the same size within the same second', want: { exitCode: 1 } },
    { given: 'a CRD file added', want: { exitCode: 1 } },
    { given: 'an output file edited', want: { exitCode: 1 } },
    { given: 'an output file deleted', want: { exitCode: 1 } },
    { given: 'nothing changed', args: ['--no-docs'], want: { exitCode: 1 } },
    { given: 'a record written by another generator', want: { exitCode: 0 } },
    { given: 'the record damaged (one hash changed, seal kept)', want: { exitCode: 0 } },
  ]
  it.each(rows)('$given $args', { timeout: 120_000 }, async ({ given, args = [], want }) => {
    const dir = await project()
    await changes[given]?.(dir)
    const before = recordIdentity(dir)
    const { code, summary } = await run(dir, ['check', '--crds', 'crds', ...args])
    expect(code, JSON.stringify(summary)).toBe(want.exitCode)
    // `check` writes nothing, the record included.
    expect(recordIdentity(dir)).toBe(before)
  })
})

describe('the answer from the record is what generating would report', () => {
  const rows: { given: string[]; want: string }[] = [
    { given: GENERATE, want: 'the same summary' },
    { given: ['generate'], want: 'the same summary (the recorded CRD set)' },
    { given: [...GENERATE, '--no-docs', '--emit', 'js'], want: 'the same summary' },
  ]
  it.each(rows)('$given', { timeout: 120_000 }, async ({ given }) => {
    const dir = await project()
    await run(dir, given)
    const fromRecord = await run(dir, given)
    await rm(recordFile(dir))
    const generated = await run(dir, given)
    const withoutTime = ({ elapsedMs, ...rest }: Summary): string => {
      expect(elapsedMs).toBeGreaterThanOrEqual(0)
      return JSON.stringify(rest)
    }
    expect(fromRecord.summary.upToDate).toBe(true)
    expect(withoutTime(fromRecord.summary)).toBe(withoutTime(generated.summary))
  })
})

describe('generate and check from a fetched lockfile and committed specs (no --crds)', () => {
  let server: ApiServer
  let template: string
  beforeAll(async () => {
    server = await startApiServer({ exampleCrds: true })
    template = await mkdtemp(join(tmpdir(), 'cli-generation-record-fetched-'))
    dirs.push(template)
    const kubeconfig = await server.kubeconfig(join(template, 'kubeconfig'))
    const fetched = await run(template, [
      'fetch',
      '--kubeconfig',
      kubeconfig,
      '--specs-dir',
      'specs',
      '--include',
      'apps',
    ])
    expect(fetched.code, JSON.stringify(fetched.summary)).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await server?.close()
  })

  const SPEC = join('specs', 'apis', 'apps', 'v1.json')
  const rows: {
    given: string
    change: (dir: string) => Promise<void>
    /** `kept`: the record was used, or the run failed (a failed run records nothing). */
    want: { record: 'kept' | 'replaced'; generate: number; check: number }
  }[] = [
    {
      given: 'nothing changed',
      change: async () => {},
      want: { record: 'kept', generate: 0, check: 0 },
    },
    {
      given: 'a committed spec edited (the same JSON, one byte more)',
      change: async (dir) => appendFile(join(dir, SPEC), ' '),
      want: { record: 'kept', generate: 4, check: 4 },
    },
    {
      given: 'a committed spec removed (the cache holds it)',
      change: (dir) => rm(join(dir, SPEC)),
      want: { record: 'replaced', generate: 0, check: 0 },
    },
  ]
  it.each(rows)('$given', { timeout: 120_000 }, async ({ change, want }) => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-generation-record-specs-'))
    dirs.push(dir)
    await cp(join(template, 'specs'), join(dir, 'specs'), { recursive: true })
    await cp(join(template, 'k8s-codegen.lock.json'), join(dir, 'k8s-codegen.lock.json'))
    await cp(join(template, 'cache'), join(dir, 'cache'), { recursive: true })
    // The template's own record (its fetch generated) names the template's paths.
    await rm(join(dir, 'cache', 'generations'), { recursive: true })
    // The first generate into this project records; the next one may answer from it.
    const args = ['--specs-dir', 'specs']
    expect((await run(dir, ['generate', ...args])).code).toBe(0)
    await change(dir)
    const before = recordIdentity(dir)
    const checked = await run(dir, ['check', ...args])
    expect(checked.code, JSON.stringify(checked.summary)).toBe(want.check)
    const generated = await run(dir, ['generate', ...args])
    expect(generated.code, JSON.stringify(generated.summary)).toBe(want.generate)
    if (want.generate === 0) expect(generated.summary.written).toEqual([])
    expect(recordIdentity(dir) === before ? 'kept' : 'replaced').toBe(want.record)
  })
})
