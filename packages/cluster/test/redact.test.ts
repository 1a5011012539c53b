import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ClusterError } from '../src/index.js'
import { Redactor, redact, redactUrl } from '../src/redact.js'

describe('redact', () => {
  it.each([
    {
      given: { text: 'token abc123xyz here', secrets: ['abc123xyz'] },
      want: 'token [REDACTED] here',
    },
    {
      given: { text: 'Authorization: Bearer eyJhbGciOi.x.y', secrets: [] },
      want: 'Authorization: [REDACTED]',
    },
    { given: { text: 'sent Bearer sometoken123', secrets: [] }, want: 'sent Bearer [REDACTED]' },
    { given: { text: 'basic Basic dXNlcjpwYXNz', secrets: [] }, want: 'basic Basic [REDACTED]' },
    {
      given: { text: '{"authorization":"x-y-z"}', secrets: [] },
      want: '{"authorization":"[REDACTED]"}',
    },
    {
      given: { text: 'via http://user:pa55@proxy:3128/', secrets: [] },
      want: 'via http://[REDACTED]@proxy:3128/',
    },
    { given: { text: 'short y stays', secrets: ['y'] }, want: 'short y stays' },
    {
      given: { text: 'longer-secret and longer', secrets: ['longer', 'longer-secret'] },
      want: '[REDACTED] and [REDACTED]',
    },
  ])('$given.text → $want', ({ given, want }) => {
    expect(redact(given.text, given.secrets)).toBe(want)
  })

  it('never leaves a registered secret in the text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          expect(redact(`${before}${secret}${after}`, [secret])).not.toContain(secret)
        },
      ),
    )
  })
})

describe('redactUrl', () => {
  it.each([
    { given: 'http://user:secret@proxy.example:3128', want: 'http://proxy.example:3128' },
    { given: 'https://api.example/k8s/clusters/c-1', want: 'https://api.example/k8s/clusters/c-1' },
    { given: 'socks5://u:p@127.0.0.1:1080/', want: 'socks5://127.0.0.1:1080/' },
  ])('$given → $want', ({ given, want }) => {
    expect(redactUrl(given)).toBe(want)
  })
})

describe('Redactor', () => {
  it('redacts the message and the whole cause chain, keeping codes', () => {
    const r = new Redactor()
    r.add('super-secret-token-1')
    const inner = Object.assign(new Error('inner saw super-secret-token-1'), { code: 'ECONNRESET' })
    const outer = new Error('outer super-secret-token-1', { cause: inner })
    const error = r.error(
      'K8S_CODEGEN_CLUSTER_UNREACHABLE',
      'failed with super-secret-token-1',
      outer,
    )
    expect(error).toBeInstanceOf(ClusterError)
    const all = JSON.stringify([
      error.message,
      error.stack,
      (error.cause as Error).message,
      (error.cause as Error).stack,
      ((error.cause as Error).cause as Error).message,
    ])
    expect(all).not.toContain('super-secret-token-1')
    expect(((error.cause as Error).cause as { code: string }).code).toBe('ECONNRESET')
  })
})
