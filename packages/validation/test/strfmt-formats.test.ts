// The formats strfmt checks with Go's parsers: upstream test rows (test/_formats.ts, also sent to
// a real kube-apiserver by real-apiserver-oracle.test.ts) and properties of the parsers against
// how Go prints the same values.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatValid } from '../src/formats.js'
import { goParseDuration, parseDuration } from '../src/go-duration.js'
import { parseMailAddress } from '../src/go-mail.js'
import { parseCidrSloppy, parseIpSloppy, parseMac } from '../src/go-net.js'
import { formatRows } from './_formats.js'

describe('formatValid follows strfmt', () => {
  it.each(formatRows)('$given.format $given.value', ({ given, want }) => {
    expect(formatValid(given.format, given.value)).toBe(want)
  })
})

const byte = fc.integer({ min: 0, max: 255 })
const hex16 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })

describe('Go address parsers', () => {
  it('parse every dotted quad, and leading zeros only sloppily (net.ParseIP refuses them)', () => {
    fc.assert(
      fc.property(fc.tuple(byte, byte, byte, byte), fc.nat({ max: 3 }), (bytes, pad) => {
        const plain = bytes.join('.')
        const padded = bytes.map((b, i) => (i === 0 ? '0'.repeat(pad) + b : b)).join('.')
        expect(formatValid('ipv4', plain)).toBe(true)
        expect(parseIpSloppy(padded)).toBe(true)
        expect(formatValid('ipv6', `::ffff:${padded}`)).toBe(pad === 0)
      }),
    )
  })

  it('parse eight hex fields, with any run of zero fields written as ::', () => {
    fc.assert(
      fc.property(
        fc.array(hex16, { minLength: 8, maxLength: 8 }),
        fc.nat({ max: 7 }),
        (fields, at) => {
          expect(formatValid('ipv6', fields.join(':'))).toBe(true)
          const short = [...fields.slice(0, at), '', ...fields.slice(at + 1)].join(':')
          const elided = at === 0 ? `:${short}` : at === 7 ? `${short}:` : short
          expect(formatValid('ipv6', elided)).toBe(true)
          expect(formatValid('ipv6', `${fields.join(':')}:0`)).toBe(false)
        },
      ),
    )
  })

  it('parse a prefix length up to the address size', () => {
    fc.assert(
      fc.property(fc.tuple(byte, byte, byte, byte), fc.nat({ max: 40 }), (bytes, bits) => {
        expect(parseCidrSloppy(`${bytes.join('.')}/${bits}`)).toBe(bits <= 32)
        expect(parseCidrSloppy(`::${bytes[0]}/${bits * 4}`)).toBe(bits * 4 <= 128)
      }),
    )
  })

  it('parse 6, 8 or 20 bytes in each of net.ParseMAC forms, and no other length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 22 }), (bytes) => {
        const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0'))
        const want = [6, 8, 20].includes(bytes.length)
        expect(parseMac(hex.join(':'))).toBe(want)
        expect(parseMac(hex.join('-').toUpperCase())).toBe(want)
        if (bytes.length % 2 === 0) {
          const pairs = hex.flatMap((h, i) => (i % 2 === 0 ? [h + hex[i + 1]!] : []))
          expect(parseMac(pairs.join('.'))).toBe(want)
        }
      }),
    )
  })
})

describe('net/mail address parser', () => {
  const atext = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~é☁]+$/)
  const dotAtom = fc.array(atext, { minLength: 1, maxLength: 3 }).map((a) => a.join('.'))
  // message.go quoteString: qtext and spaces as they are, other visible characters escaped.
  const quoted = fc
    .string({ unit: fc.constantFrom('a', ' ', '\t', '"', '\\', '@', '(', 'é'), minLength: 1 })
    .map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`)

  it('parse a dot-atom or quoted local part at a dot-atom domain, bare or in angle brackets', () => {
    fc.assert(
      fc.property(fc.oneof(dotAtom, quoted), dotAtom, atext, (local, domain, name) => {
        expect(parseMailAddress(`${local}@${domain}`)).toBe(true)
        expect(parseMailAddress(`${name} <${local}@${domain}> (comment)`)).toBe(true)
        expect(parseMailAddress(`${local}@${domain}@${domain}`)).toBe(false)
        expect(parseMailAddress(`${local}@${domain}..`)).toBe(false)
      }),
    )
  })
})

describe('duration parsers', () => {
  it('read back the nanoseconds Go prints with the ns unit', () => {
    fc.assert(
      fc.property(int64, (n) => {
        expect(goParseDuration(`${n}ns`)).toBe(n)
        expect(parseDuration(`${n}ns`)).toBe(n)
      }),
    )
  })

  it('sum hours, minutes and seconds as time.ParseDuration does', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000 }),
        fc.nat({ max: 59 }),
        fc.nat({ max: 999 }),
        (h, m, ms) => {
          const want = ((BigInt(h) * 60n + BigInt(m)) * 60_000n + BigInt(ms)) * 1_000_000n
          expect(goParseDuration(`${h}h${m}m${ms}ms`)).toBe(want)
          expect(goParseDuration(`-${h}h${m}m${ms}ms`)).toBe(-want)
        },
      ),
    )
  })

  it('read strfmt day and week pieces with spaces and long unit names', () => {
    fc.assert(
      fc.property(fc.nat({ max: 50_000 }), fc.nat({ max: 1000 }), (days, weeks) => {
        const day = 86_400_000_000_000n
        expect(parseDuration(`${weeks} weeks ${days}  days`)).toBe(
          (BigInt(weeks) * 7n + BigInt(days)) * day,
        )
        expect(goParseDuration(`${days}d`)).toBeUndefined()
      }),
    )
  })
})
