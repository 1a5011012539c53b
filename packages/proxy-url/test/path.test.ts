import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanProxyPath, decodeRawPath, encodeCleanPath } from '../src/path.js'
import { PROPERTY_TIMEOUT_MS, expectError } from './_helpers.js'

/** Go `path.Join(root, p)` relative to the root, plus JoinPreservingTrailingSlash, spelled out. */
function goJoinModel(path: string): string {
  const kept: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '..') kept.pop()
    else if (segment !== '' && segment !== '.') kept.push(segment)
  }
  return kept.length > 0 && path.endsWith('/') ? `${kept.join('/')}/` : kept.join('/')
}

/** encodeURIComponent, with the pchar sub-delims, ':' and '@' it escapes put back. */
function encodeModel(clean: string): string {
  return clean
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/%(24|26|2B|2C|3B|3D|3A|40)/g, (escape) =>
        decodeURIComponent(escape),
      ),
    )
    .join('/')
}

const pathText = fc
  .array(
    fc.oneof(
      fc.constantFrom('.', '..', '...', '/', '//', '%2e', 'a', 'b c', '\\', '?', '#', 'ü', '😀'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''))

describe('cleanProxyPath', () => {
  const rows: { given: string; want: string }[] = [
    { given: '', want: '' },
    { given: '/', want: '' },
    { given: '.', want: '' },
    { given: '..', want: '' },
    { given: '../', want: '' },
    { given: 'a', want: 'a' },
    { given: 'a/', want: 'a/' },
    { given: '/a', want: 'a' },
    { given: 'a//b', want: 'a/b' },
    { given: 'a/.', want: 'a' },
    { given: 'a/..', want: '' },
    { given: 'a/./b/../c/', want: 'a/c/' },
    { given: '../../secrets', want: 'secrets' },
    { given: 'a/.../b', want: 'a/.../b' },
    { given: '.a/..b/', want: '.a/..b/' },
    { given: '%2e%2e/x', want: '%2e%2e/x' },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(cleanProxyPath(given)).toBe(want))

  it(
    'matches the path.Join model, fast path or not',
    () => {
      fc.assert(
        fc.property(pathText, (path) => {
          expect(cleanProxyPath(path)).toBe(goJoinModel(path))
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('encodeCleanPath', () => {
  const rows: { given: string; want: string }[] = [
    { given: 'a/b/', want: 'a/b/' },
    { given: "a:b@c!$&'()*+,;=-._~", want: "a:b@c!$&'()*+,;=-._~" },
    { given: '%2e%2e', want: '%252e%252e' },
    { given: 'a?b#c d', want: 'a%3Fb%23c%20d' },
    { given: '\\[]{}|^`"<>', want: '%5C%5B%5D%7B%7D%7C%5E%60%22%3C%3E' },
    { given: '\u0000\u001f\u007f', want: '%00%1F%7F' },
    { given: 'ü😀', want: '%C3%BC%F0%9F%98%80' },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(encodeCleanPath(given)).toBe(want))

  it(
    'matches the encodeURIComponent model and decodes back',
    () => {
      fc.assert(
        fc.property(pathText, (path) => {
          const clean = cleanProxyPath(path)
          const encoded = encodeCleanPath(clean)
          expect(encoded).toBe(encodeModel(clean))
          expect(decodeURIComponent(encoded)).toBe(clean)
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it('refuses a lone surrogate', () => {
    expectError(() => encodeCleanPath('a\udc00'), {
      code: 'K8S_CODEGEN_PROXY_PATH_INVALID',
      message: /\\udc00/,
    })
  })
})

describe('decodeRawPath', () => {
  const rows: { given: string; want: string }[] = [
    { given: '%2e%2e/x', want: '../x' },
    { given: 'a%2Fb', want: 'a/b' },
    { given: 'a+b', want: 'a+b' },
    { given: '%C3%BC', want: 'ü' },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(decodeRawPath(given)).toBe(want))

  it('refuses malformed escapes', () => {
    for (const given of ['%', '%zz', '%C3']) {
      expectError(() => decodeRawPath(given), { code: 'K8S_CODEGEN_PROXY_PATH_INVALID' })
    }
  })
})
