import { describe, expect, it } from 'vitest'

import type { CliContext } from '../src/context.js'
import { CliError } from '../src/errors.js'
import { errorInfo, report, reportFailure } from '../src/report.js'

function context(): CliContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    stdout: (t: string) => void (ctx.out += t),
    stderr: (t: string) => void (ctx.err += t),
    stderrIsTTY: true,
    env: {},
    cwd: '/',
    exitCode: 0,
  }
  return ctx
}

describe('report', () => {
  it('prints one line per error, without control characters, and its code', () => {
    const ctx = context()
    reportFailure(ctx, 'fetch', false, new CliError('K8S_CODEGEN_CLI_USAGE', 'bad\u001b[31m\nflag'))
    expect(ctx.err).toBe('k8s-codegen fetch: error: bad[31m flag [K8S_CODEGEN_CLI_USAGE]\n')
    expect(ctx.out).toBe('')
    expect(ctx.exitCode).toBe(1)
  })

  it('with --json prints exactly one document, success or failure', () => {
    const ok = context()
    report(ok, 'check', true, { exitCode: 0, summary: { out: '/x' }, text: 'ignored\n' })
    expect(ok.out.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(ok.out)).toEqual({ ok: true, exitCode: 0, out: '/x', error: null })
    const failed = context()
    reportFailure(failed, undefined, true, new TypeError('boom'))
    expect(JSON.parse(failed.out)).toEqual({
      ok: false,
      exitCode: 1,
      error: { code: 'K8S_CODEGEN_CLI_INTERNAL', message: 'boom' },
    })
  })

  it('names an unknown error K8S_CODEGEN_CLI_INTERNAL', () => {
    expect(errorInfo('text')).toEqual({ code: 'K8S_CODEGEN_CLI_INTERNAL', message: 'text' })
  })
})
