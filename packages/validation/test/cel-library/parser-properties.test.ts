// Properties of the parsers the library models on Go (net/netip, resource.ParseQuantity,
// blang/semver): printing and parsing agree, and comparisons agree with the numbers' own order.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluate } from './_evaluate.js'

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
const v6Text = (b: Uint8Array) =>
  Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16)).join(':')
// ::ffff:a.b.c.d is refused by ip() (IPv4-mapped).
const notMapped = (b: Uint8Array) =>
  !(b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)

describe('ip and cidr', () => {
  it('an IPv4 address prints as it parses', () => {
    fc.assert(
      fc.property(bytes(4), (b) => {
        const text = b.join('.')
        expect(evaluate('string(ip(s))', { s: text })).toMatchObject({
          value: JSON.stringify(text),
        })
      }),
      { numRuns: 100 },
    )
  })

  it('an IPv6 address, written out in full, parses to one canonical text that parses to itself', () => {
    fc.assert(
      fc.property(bytes(16).filter(notMapped), (b) => {
        const canonical = evaluate('string(ip(s))', { s: v6Text(b) }).value ?? ''
        expect(
          evaluate('ip.isCanonical(s) && ip(s) == ip(t)', {
            s: JSON.parse(canonical),
            t: v6Text(b),
          }),
        ).toMatchObject({
          value: 'true',
        })
      }),
      { numRuns: 100 },
    )
  })

  it('a CIDR contains its own address and its masked network', () => {
    fc.assert(
      fc.property(bytes(4), fc.integer({ min: 0, max: 32 }), (b, bits) => {
        const given =
          'c.containsIP(c.ip()) && c.containsCIDR(c.masked()) && c.masked().prefixLength() == n'
        expect(
          evaluate(`cidr(s).containsIP(cidr(s).ip())`, { s: `${b.join('.')}/${bits}` }),
        ).toMatchObject({ value: 'true' })
        expect(
          evaluate(given.replaceAll('c.', 'cidr(s).'), {
            s: `${b.join('.')}/${bits}`,
            n: BigInt(bits),
          }),
        ).toMatchObject({ value: 'true' })
      }),
      { numRuns: 100 },
    )
  })
})

describe('quantity', () => {
  // ParseQuantity keeps up to 18 digits in an int64; more go to inf.Dec, which AsInt64 refuses
  // (library-facts.json: quantity('1000000000000000000').isInteger() is false in kube-apiserver).
  it('an integer of up to 18 digits reads back as itself; one of 19 is no integer to CEL', () => {
    const max = 10n ** 18n - 1n
    fc.assert(
      fc.property(fc.bigInt({ min: -max, max }), (n) => {
        expect(evaluate('quantity(s).asInteger() == n', { s: n.toString(), n })).toMatchObject({
          value: 'true',
        })
      }),
      { numRuns: 100 },
    )
    fc.assert(
      fc.property(fc.bigInt({ min: max + 1n, max: (1n << 63n) - 1n }), (n) => {
        expect(evaluate('quantity(s).isInteger()', { s: n.toString() })).toMatchObject({
          value: 'false',
        })
      }),
      { numRuns: 50 },
    )
  })

  it('orders decimal quantities as their values', () => {
    const decimal = fc.record({
      digits: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      exp: fc.integer({ min: -12, max: 12 }),
    })
    const text = ({ digits, exp }: { digits: bigint; exp: number }) => `${digits}e${exp}`
    // ParseQuantity rounds up to nano units (away from zero): compare in nano units.
    const nano = (x: { digits: bigint; exp: number }) => {
      if (x.exp >= -9) return x.digits * 10n ** BigInt(x.exp + 9)
      const unit = 10n ** BigInt(-9 - x.exp)
      return x.digits / unit + (x.digits % unit === 0n ? 0n : x.digits > 0n ? 1n : -1n)
    }
    const compare = (a: { digits: bigint; exp: number }, b: { digits: bigint; exp: number }) => {
      const [x, y] = [nano(a), nano(b)]
      return x === y ? 0n : x > y ? 1n : -1n
    }
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(
          evaluate('quantity(a).compareTo(quantity(b))', { a: text(a), b: text(b) }),
        ).toMatchObject({
          value: String(compare(a, b)),
        })
      }),
      { numRuns: 300 },
    )
  })

  it('a binary suffix is a power of two', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8_000 }),
        fc.constantFrom(['Ki', 10n], ['Mi', 20n], ['Gi', 30n]),
        (n, [suffix, shift]) => {
          expect(
            evaluate('quantity(a) == quantity(b)', {
              a: `${n}${suffix}`,
              b: String(BigInt(n) << shift),
            }),
          ).toMatchObject({
            value: 'true',
          })
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('semver', () => {
  const part = fc.bigInt({ min: 0n, max: 1n << 40n })
  it('orders versions as their numbers, a release after its prereleases', () => {
    fc.assert(
      fc.property(
        part,
        part,
        part,
        part,
        part,
        part,
        fc.boolean(),
        (a1, a2, a3, b1, b2, b3, pre) => {
          const [a, b] = [
            [a1, a2, a3],
            [b1, b2, b3],
          ]
          const order =
            a.map((x, i) => (x === b[i] ? 0 : x > b[i]! ? 1 : -1)).find((c) => c !== 0) ??
            (pre ? -1 : 0)
          expect(
            evaluate('semver(a).compareTo(semver(b))', {
              a: `${a.join('.')}${pre ? '-rc.1' : ''}`,
              b: b.join('.'),
            }),
          ).toMatchObject({ value: String(order) })
        },
      ),
      { numRuns: 100 },
    )
  })
})
