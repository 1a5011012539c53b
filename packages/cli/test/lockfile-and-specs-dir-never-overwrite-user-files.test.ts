// `--lockfile` and `--specs-dir` get the output writer's rule: a run replaces only files it wrote.
// A lockfile is ours when it parses as a k8s-codegen lockfile (or is absent); anything else at the
// `--lockfile` path (your package.json, README.md, a typo that names another file) fails the run
// before anything is fetched or written, naming it. A file in `--specs-dir` is ours when it holds
// what the previous lockfile locked for it (or what this run writes); anything else where a
// document goes fails the run before anything is written.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'
import { emulatorProjects } from './_emulator-projects.js'
import { CORPUS_CRDS } from './_crd-cli.js'
import { tree } from './_tree.js'

const projects = emulatorProjects('cli-lockfile-user-files-')
const project = projects.project

const PACKAGE_JSON = '{\n  "name": "my-app",\n  "version": "1.0.0"\n}\n'
// npm's lockfile has a lockfileVersion too (1 to 3).
const PACKAGE_LOCK = (version: number) =>
  `${JSON.stringify({ name: 'my-app', lockfileVersion: version, requires: true, packages: {} }, null, 2)}\n`
const README = '# my app\n'

describe('--lockfile naming a file k8s-codegen did not write', { timeout: 60_000 }, () => {
  const rows: { given: { file: string; content: string; args: string[] }; want: RegExp }[] = [
    {
      given: { file: 'package.json', content: PACKAGE_JSON, args: ['fetch'] },
      want: /package\.json is not a k8s-codegen lockfile \(it has no numeric lockfileVersion/,
    },
    {
      given: { file: 'package-lock.json', content: PACKAGE_LOCK(3), args: ['fetch'] },
      want: /package-lock\.json is not a k8s-codegen lockfile/,
    },
    {
      given: { file: 'package-lock.json', content: PACKAGE_LOCK(2), args: ['fetch'] },
      want: /package-lock\.json is not a k8s-codegen lockfile/,
    },
    {
      given: { file: 'README.md', content: README, args: ['fetch', '--no-generate'] },
      want: /README\.md is not a k8s-codegen lockfile \(its content is not JSON\)/,
    },
    {
      given: { file: 'notes.txt', content: '', args: ['fetch'] },
      want: /notes\.txt is not a k8s-codegen lockfile/,
    },
    {
      given: { file: 'package.json', content: PACKAGE_JSON, args: ['generate'] },
      want: /package\.json is not a k8s-codegen lockfile/,
    },
    {
      given: {
        file: 'README.md',
        content: README,
        args: ['generate', '--crds', CORPUS_CRDS[0] ?? ''],
      },
      want: /README\.md is not a k8s-codegen lockfile/,
    },
    {
      given: { file: 'package.json', content: PACKAGE_JSON, args: ['check'] },
      want: /package\.json is not a k8s-codegen lockfile/,
    },
  ]
  it.each(rows)(
    '$given.args.0 --lockfile $given.file: refused naming it, nothing written',
    async ({ given, want }) => {
      const dir = await project({ [given.file]: given.content })
      const before = await tree(dir)
      const connection = given.args[0] === 'fetch' ? ['--kubeconfig', projects.kubeconfig()] : []
      const run = await runMain(
        [...given.args, ...connection, '--lockfile', given.file, '--json'],
        { cwd: dir, cacheDir: projects.cacheDir() },
      )
      expect(run.code, run.stdout).toBe(1)
      const summary = JSON.parse(run.stdout) as { error: { code: string; message: string } }
      expect(summary.error.code).toBe('K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT')
      expect(summary.error.message).toMatch(want)
      expect(summary.error.message).toContain('nothing was written')
      expect(await tree(dir)).toEqual(before)
    },
  )

  it('a lockfile of k8s-codegen that no longer validates is not replaced either: delete it to re-fetch', async () => {
    const dir = await project({})
    const first = await runMain(
      ['fetch', '--kubeconfig', projects.kubeconfig(), '--include', 'core/v1'],
      {
        cwd: dir,
        cacheDir: projects.cacheDir(),
      },
    )
    expect(first.code, first.stderr).toBe(0)
    const lockfile = join(dir, 'k8s-codegen.lock.json')
    const damaged = (await readFile(lockfile, 'utf8')).replace('"source": "v3"', '"source": "v4"')
    await writeFile(lockfile, damaged)
    const before = await tree(dir)
    const run = await runMain(['fetch', '--kubeconfig', projects.kubeconfig(), '--json'], {
      cwd: dir,
      cacheDir: projects.cacheDir(),
    })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: {
        code: 'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID',
        message: expect.stringMatching(/source must be .*nothing was written: delete it/) as string,
      },
    })
    expect(await tree(dir)).toEqual(before)
  })
})

describe('--specs-dir holding files k8s-codegen did not write', { timeout: 60_000 }, () => {
  const fetch = (dir: string, ...args: string[]) =>
    runMain(
      ['fetch', '--kubeconfig', projects.kubeconfig(), '--include', 'core/v1', '--json', ...args],
      {
        cwd: dir,
        cacheDir: projects.cacheDir(),
      },
    )

  it('fetch --specs-dir . in a project holding your own api/v1.json: refused naming it, nothing written', async () => {
    const dir = await project({
      'api/v1.json': '{"openapi":"3.0.0","info":{"title":"my api","version":"1"},"paths":{}}\n',
      'package.json': PACKAGE_JSON,
    })
    const before = await tree(dir)
    const run = await fetch(dir, '--specs-dir', '.')
    expect(run.code, run.stdout).toBe(1)
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT')
    expect(error.message).toMatch(/holds a file k8s-codegen did not write .*: api\/v1\.json\./)
    expect(error.message).toContain('nothing was written')
    expect(await tree(dir)).toEqual(before)
  })

  it('a document of an earlier fetch you replaced by hand: refused, the lockfile and specs as they were', async () => {
    const dir = await project({})
    expect((await fetch(dir, '--specs-dir', 'specs')).code).toBe(0)
    await writeFile(join(dir, 'specs/api/v1.json'), '{"mine":true}\n')
    // A fetch that changes what is locked (another include) must write the specs dir.
    const before = await tree(dir)
    const run = await runMain(
      [
        'fetch',
        '--kubeconfig',
        projects.kubeconfig(),
        '--include',
        'apps/v1',
        '--include',
        'core/v1',
        '--json',
        '--specs-dir',
        'specs',
      ],
      { cwd: dir, cacheDir: projects.cacheDir() },
    )
    expect(run.code, run.stdout).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT' },
    })
    expect(await tree(dir)).toEqual(before)
  })

  it('a document no longer fetched that you edited is kept; the unedited ones go', async () => {
    const dir = await project({})
    const both = ['--include', 'apps/v1', '--specs-dir', 'specs']
    expect((await fetch(dir, ...both)).code).toBe(0)
    const edited = join(dir, 'specs/apis/apps/v1.json')
    await writeFile(edited, '{"edited":true}\n')
    const run = await runMain(
      [
        'fetch',
        '--kubeconfig',
        projects.kubeconfig(),
        '--no-include',
        '--include',
        'core/v1',
        '--specs-dir',
        'specs',
        '--json',
      ],
      { cwd: dir, cacheDir: projects.cacheDir() },
    )
    expect(run.code, run.stdout).toBe(0)
    const after = await tree(dir)
    expect(after['specs/apis/apps/v1.json']).toBe(
      Buffer.from('{"edited":true}\n').toString('base64'),
    )
    expect(after['specs/apis/apps/v1.discovery.json']).toBeUndefined()
    expect(after['specs/api/v1.json']).toBeDefined()
  })
})
