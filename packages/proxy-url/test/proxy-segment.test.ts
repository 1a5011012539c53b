import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  formatProxySegment,
  lintProxySegment,
  parseProxySegment,
  ProxyUrlError,
  type ProxySegment,
} from '../src/index.js'
import { PROPERTY_TIMEOUT_MS, expectError, type WantError } from './_helpers.js'

/**
 * A literal model of apimachinery `SplitSchemeNamePort` (strings.Split, then the three cases),
 * with Go's `''` results mapped to absent keys. The implementation uses indexOf scans instead.
 */
function splitSchemeNamePort(id: string): ProxySegment | undefined {
  const parts = id.split(':')
  if (parts.length > 3) return undefined
  const [scheme = '', name = '', port = ''] = parts.length === 3 ? parts : ['', ...parts]
  if (name === '' || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined
  return { ...(scheme === '' ? {} : { scheme }), name, ...(port === '' ? {} : { port }) }
}

describe('parseProxySegment', () => {
  // The first ten rows are the cases of apimachinery pkg/util/net/port_split_test.go.
  const rows: { given: string; want: ProxySegment | WantError }[] = [
    { given: 'aoeu:asdf', want: { name: 'aoeu', port: 'asdf' } },
    { given: 'http:aoeu:asdf', want: { scheme: 'http', name: 'aoeu', port: 'asdf' } },
    { given: 'https:aoeu:', want: { scheme: 'https', name: 'aoeu' } },
    { given: 'aoeu:', want: { name: 'aoeu' } },
    { given: 'aoeu', want: { name: 'aoeu' } },
    { given: ':asdf', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /non-empty/ } },
    {
      given: 'aoeu:asdf:htns',
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /scheme "aoeu"/ },
    },
    { given: 'http::asdf', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    { given: 'http::', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    { given: '', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    {
      given: 'HTTPS:svc:443',
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /scheme "HTTPS"/ },
    },
    {
      given: 'ftp:svc:21',
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /scheme "ftp"/ },
    },
    { given: 'https:svc', want: { name: 'https', port: 'svc' } },
    { given: ':svc:80', want: { name: 'svc', port: '80' } },
    { given: ':svc:', want: { name: 'svc' } },
    { given: 'a:b:c:d', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /3/ } },
    { given: '::', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    { given: 'svc::', want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    {
      given: 'svc:web:',
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /scheme "svc"/ },
    },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    if ('code' in want) expectError(() => parseProxySegment(given), want)
    else expect(parseProxySegment(given)).toStrictEqual(want)
  })

  it(
    'agrees with a literal model of SplitSchemeNamePort and round-trips through format',
    () => {
      const part = fc.oneof(
        fc.constantFrom('', 'http', 'https', 'HTTP', 'ftp', 'svc', '80', 'web-0'),
        fc.string({ maxLength: 6 }),
      )
      const segment = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(':'))
      fc.assert(
        fc.property(segment, (given) => {
          const model = splitSchemeNamePort(given)
          if (model === undefined) {
            expectError(() => parseProxySegment(given), {
              code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
            })
            return
          }
          const parsed = parseProxySegment(given)
          expect(parsed).toStrictEqual(model)
          expect(parseProxySegment(formatProxySegment(parsed))).toStrictEqual(parsed)
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('formatProxySegment', () => {
  const rows: { given: ProxySegment; want: string | WantError }[] = [
    { given: { scheme: 'https', name: 'svc' }, want: 'https:svc:' },
    { given: { scheme: 'http', name: 'svc', port: '80' }, want: 'http:svc:80' },
    { given: { name: 'svc', port: '80' }, want: 'svc:80' },
    { given: { name: 'svc' }, want: 'svc' },
    { given: { name: 'svc', port: '' }, want: 'svc' },
    { given: { name: '' }, want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /name/ } },
    { given: { name: 'a:b' }, want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /":"/ } },
    {
      given: { name: 'svc', port: '1:2' },
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /port/ },
    },
    {
      given: { scheme: 'ftp' as 'http', name: 'svc' },
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID', message: /scheme "ftp"/ },
    },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    if (typeof want === 'string') expect(formatProxySegment(given)).toBe(want)
    else expectError(() => formatProxySegment(given), want)
  })
})

describe('lintProxySegment', () => {
  const rows: { given: string; want: RegExp | undefined }[] = [
    { given: 'https:svc', want: /read as name "https" and port "svc".*"https:svc:"/ },
    { given: 'http:svc', want: /read as name "http" and port "svc"/ },
    { given: 'https:', want: /name "https" with no port/ },
    { given: 'https:svc:', want: undefined },
    { given: 'https:svc:443', want: undefined },
    { given: 'svc:https', want: undefined },
    { given: 'https', want: undefined },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    const warning = lintProxySegment(given)
    if (want === undefined) expect(warning).toBeUndefined()
    else expect(warning).toMatch(want)
  })

  it('warns only about segments that parse', () => {
    for (const given of ['https:svc', 'http:svc', 'https:']) {
      expect(() => parseProxySegment(given)).not.toThrow(ProxyUrlError)
    }
  })
})
