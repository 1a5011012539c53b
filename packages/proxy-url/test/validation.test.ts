import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIPAddress,
  isIPv4Address,
  isIPv6Address,
  validatePathSegmentName,
} from '../src/index.js'
import { PROPERTY_TIMEOUT_MS } from './_helpers.js'

const label63 = 'a'.repeat(63)
const label64 = 'a'.repeat(64)
// 4 × 63 + 3 dots = 255 > 253; 3 × 63 + 62 + 3 dots = 253.
const subdomain253 = [label63, label63, label63, 'a'.repeat(61)].join('.')
const subdomain254 = [label63, label63, label63, 'a'.repeat(62)].join('.')

describe('isDns1123Label', () => {
  const rows: { given: string; want: boolean }[] = [
    { given: 'kube-system', want: true },
    { given: '0abc', want: true },
    { given: label63, want: true },
    { given: label64, want: false },
    { given: '', want: false },
    { given: '-a', want: false },
    { given: 'a-', want: false },
    { given: 'Kube', want: false },
    { given: 'a.b', want: false },
    { given: 'a_b', want: false },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(isDns1123Label(given)).toBe(want))
})

describe('isDns1123Subdomain', () => {
  const rows: { given: string; want: boolean }[] = [
    { given: 'web-0.db', want: true },
    { given: '10.0.0.1', want: true },
    { given: subdomain253, want: true },
    { given: subdomain254, want: false },
    { given: '.a', want: false },
    { given: 'a.', want: false },
    { given: 'a..b', want: false },
    { given: 'a.-b', want: false },
    { given: 'Web', want: false },
    { given: '', want: false },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(isDns1123Subdomain(given)).toBe(want))
})

describe('isDns1035Label', () => {
  const rows: { given: string; want: boolean }[] = [
    { given: 'web', want: true },
    { given: 'a-1', want: true },
    { given: label63, want: true },
    { given: label64, want: false },
    { given: '0web', want: false },
    { given: 'web-0.db', want: false },
    { given: 'web-', want: false },
    { given: '', want: false },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(isDns1035Label(given)).toBe(want))
})

describe('validatePathSegmentName', () => {
  const rows: { given: string; want: string[] }[] = [
    { given: 'web', want: [] },
    { given: '...', want: [] },
    { given: '.', want: ["may not be '.'"] },
    { given: '..', want: ["may not be '..'"] },
    { given: 'a/b', want: ["may not contain '/'"] },
    { given: '%2e', want: ["may not contain '%'"] },
    { given: '/%', want: ["may not contain '/'", "may not contain '%'"] },
  ]
  it.each(rows)('$given', ({ given, want }) =>
    expect(validatePathSegmentName(given)).toStrictEqual(want),
  )
})

describe('IP addresses', () => {
  const rows: { given: string; want: { v4: boolean; v6: boolean } }[] = [
    { given: '10.0.0.1', want: { v4: true, v6: false } },
    { given: '255.255.255.255', want: { v4: true, v6: false } },
    { given: '256.0.0.1', want: { v4: false, v6: false } },
    { given: '10.0.0.01', want: { v4: false, v6: false } },
    { given: '10.0.0', want: { v4: false, v6: false } },
    { given: '::1', want: { v4: false, v6: true } },
    { given: '::', want: { v4: false, v6: true } },
    { given: '2001:db8::1', want: { v4: false, v6: true } },
    { given: '1:2:3:4:5:6:7:8', want: { v4: false, v6: true } },
    { given: '1:2:3:4:5:6:7::', want: { v4: false, v6: true } },
    { given: '::ffff:10.0.0.1', want: { v4: false, v6: true } },
    { given: '1:2:3:4:5:6:7:8:9', want: { v4: false, v6: false } },
    { given: '1::2::3', want: { v4: false, v6: false } },
    { given: ':1', want: { v4: false, v6: false } },
    { given: ':::', want: { v4: false, v6: false } },
    { given: '10.0.0.1::', want: { v4: false, v6: false } },
    { given: 'fe80::1%eth0', want: { v4: false, v6: false } },
    { given: '[::1]', want: { v4: false, v6: false } },
    { given: 'node-1', want: { v4: false, v6: false } },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    expect({ v4: isIPv4Address(given), v6: isIPv6Address(given) }).toStrictEqual(want)
    expect(isIPAddress(given)).toBe(want.v4 || want.v6)
  })
})

describe('the scans accept exactly the languages of apimachinery validation.go', () => {
  // The regular expressions as validation.go writes them (dns1123LabelFmt and friends).
  const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
  const models = {
    dns1123Label: (v: string) => v.length <= 63 && new RegExp(`^${label}$`).test(v),
    dns1123Subdomain: (v: string) =>
      v.length <= 253 && new RegExp(`^${label}(\\.${label})*$`).test(v),
    dns1035Label: (v: string) => v.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v),
  }
  const text = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', '-', '.', 'A', '_'), maxLength: 70 }),
    fc.constantFrom(label63, label64, subdomain253, subdomain254, `${label63}.${label64}`),
  )
  it(
    'for arbitrary strings',
    () => {
      fc.assert(
        fc.property(text, (value) => {
          expect(isDns1123Label(value)).toBe(models.dns1123Label(value))
          expect(isDns1123Subdomain(value)).toBe(models.dns1123Subdomain(value))
          expect(isDns1035Label(value)).toBe(models.dns1035Label(value))
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
