import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { recordedProfileDir, requireRecordedProfile, TestkitError } from '../src/index.js'

describe('recordedProfileDir / requireRecordedProfile', () => {
  const original = process.env['K8S_CODEGEN_SHARED_DIR']
  const dirs: string[] = []
  afterEach(() => {
    if (original === undefined) delete process.env['K8S_CODEGEN_SHARED_DIR']
    else process.env['K8S_CODEGEN_SHARED_DIR'] = original
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('follows K8S_CODEGEN_SHARED_DIR to <shared>/fixtures/kubernetes', () => {
    const shared = mkdtempSync(join(tmpdir(), 'testkit-shared-'))
    dirs.push(shared)
    mkdirSync(join(shared, 'fixtures', 'kubernetes', 'v3'), { recursive: true })
    process.env['K8S_CODEGEN_SHARED_DIR'] = shared
    expect(recordedProfileDir()).toBe(join(shared, 'fixtures', 'kubernetes'))
    expect(requireRecordedProfile()).toBe(join(shared, 'fixtures', 'kubernetes'))
  })

  it('returns undefined, and require throws SHARED_ABSENT naming the path, when absent', () => {
    process.env['K8S_CODEGEN_SHARED_DIR'] = '/nonexistent/shared'
    expect(recordedProfileDir()).toBeUndefined()
    let error: unknown
    try {
      requireRecordedProfile()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TestkitError)
    expect((error as TestkitError).code).toBe('K8S_CODEGEN_TESTKIT_SHARED_ABSENT')
    expect((error as TestkitError).message).toContain('/nonexistent/shared/fixtures/kubernetes')
  })
})
