// Go's net/netip parsing and printing (ParseAddr, ParsePrefix, Addr.String), with Go's error
// text, which kube-apiserver puts in the errors of ip() and cidr() (k8s.io/apiserver
// pkg/cel/library/ip.go parseIPAddr, cidr.go parseCIDR).
import { celText } from './_values.js'

/** A netip.Addr without zone: 4 or 16 bytes. */
export type Addr = Uint8Array

/** A netip.Prefix: an address (not masked) and a bit count. */
export interface Prefix {
  readonly addr: Addr
  readonly bits: number
}

/** A parse failure, with Go's message. */
export class NetipError extends Error {}

const quote = (s: string) => celText(s)

function addrError(input: string, msg: string, at?: string): NetipError {
  return new NetipError(
    `ParseAddr(${quote(input)}): ${msg}${at === undefined || at === '' ? '' : ` (at ${quote(at)})`}`,
  )
}

// netip.parseIPv4Fields over in[off:end].
function parseIPv4Fields(
  input: string,
  off: number,
  end: number,
  fields: Uint8Array,
  at: number,
): void {
  const s = input.slice(off, end)
  let val = 0
  let pos = 0
  let digits = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0)
        throw addrError(input, 'IPv4 field has octet with leading zero')
      val = val * 10 + Number(c)
      digits++
      if (val > 255) throw addrError(input, 'IPv4 field has value >255')
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.')
        throw addrError(input, 'IPv4 field must have at least one digit', s.slice(i))
      if (pos === 3) throw addrError(input, 'IPv4 address too long')
      fields[at + pos++] = val
      val = 0
      digits = 0
    } else {
      throw addrError(input, 'unexpected character', s.slice(i))
    }
  }
  if (pos < 3) throw addrError(input, 'IPv4 address too short')
  fields[at + 3] = val
}

// netip.parseIPv6, zones refused by the caller (so only reported here as Go reports them).
function parseIPv6(input: string): { addr: Addr; zone: string } {
  let s = input
  let zone = ''
  const pct = s.indexOf('%')
  if (pct !== -1) {
    ;[s, zone] = [s.slice(0, pct), s.slice(pct + 1)]
    if (zone === '') throw addrError(input, 'zone must be a non-empty string')
  }
  const ip = new Uint8Array(16)
  let ellipsis = -1
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0
    s = s.slice(2)
    if (s.length === 0) return { addr: ip, zone }
  }
  let i = 0
  while (i < 16) {
    let off = 0
    let acc = 0
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16)
      if (Number.isNaN(d)) break
      acc = acc * 16 + d
      if (off > 3) throw addrError(input, 'each group must have 4 or less digits', s)
      if (acc > 0xffff) throw addrError(input, 'IPv6 field has value >=2^16', s)
    }
    if (off === 0)
      throw addrError(input, 'each colon-separated field must have at least one digit', s)
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        throw addrError(
          input,
          'embedded IPv4 address must replace the final 2 fields of the address',
          s,
        )
      if (i + 4 > 16)
        throw addrError(
          input,
          'too many hex fields to fit an embedded IPv4 at the end of the address',
          s,
        )
      const end = input.length - (zone.length > 0 ? zone.length + 1 : 0)
      parseIPv4Fields(input, end - s.length, end, ip, i)
      s = ''
      i += 4
      break
    }
    ip[i] = acc >> 8
    ip[i + 1] = acc & 0xff
    i += 2
    s = s.slice(off)
    if (s.length === 0) break
    if (s[0] !== ':') throw addrError(input, 'unexpected character, want colon', s)
    if (s.length === 1) throw addrError(input, 'colon must be followed by more characters', s)
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) throw addrError(input, 'multiple :: in address', s)
      ellipsis = i
      s = s.slice(1)
      if (s.length === 0) break
    }
  }
  if (s.length !== 0) throw addrError(input, 'trailing garbage after address', s)
  if (i < 16) {
    if (ellipsis < 0) throw addrError(input, 'address string too short')
    const n = 16 - i
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!
    ip.fill(0, ellipsis, ellipsis + n)
  } else if (ellipsis >= 0) {
    throw addrError(input, 'the :: must expand to at least one field of zeros')
  }
  return { addr: ip, zone }
}

/** netip.ParseAddr: an address and its zone (IPv6 only). */
export function parseAddr(s: string): { addr: Addr; zone: string } {
  for (const c of s) {
    if (c === '.') {
      const fields = new Uint8Array(4)
      parseIPv4Fields(s, 0, s.length, fields, 0)
      return { addr: fields, zone: '' }
    }
    if (c === ':') return parseIPv6(s)
    if (c === '%') throw addrError(s, 'missing IPv6 address')
  }
  throw addrError(s, 'unable to parse IP')
}

/** netip.ParsePrefix. */
export function parsePrefix(s: string): Prefix {
  const fail = (msg: string) => new NetipError(`netip.ParsePrefix(${quote(s)}): ${msg}`)
  const slash = s.lastIndexOf('/')
  if (slash < 0) throw fail("no '/'")
  let parsed
  try {
    parsed = parseAddr(s.slice(0, slash))
  } catch (error) {
    throw fail((error as Error).message)
  }
  if (parsed.addr.length === 16 && parsed.zone !== '')
    throw fail('IPv6 zones cannot be present in a prefix')
  const bitsStr = s.slice(slash + 1)
  if (
    (bitsStr.length > 1 && (bitsStr[0]! < '1' || bitsStr[0]! > '9')) ||
    !/^[+-]?\d+$/.test(bitsStr)
  )
    throw fail(`bad bits after slash: ${quote(bitsStr)}`)
  const bits = Number(bitsStr)
  if (bits < 0 || bits > parsed.addr.length * 8) throw fail('prefix length out of range')
  return { addr: parsed.addr, bits }
}

/** netip.Addr.Is4In6: ::ffff:a.b.c.d. */
export const is4In6 = (a: Addr) =>
  a.length === 16 && a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff

/** netip.Addr.String (RFC 5952 for IPv6). */
export function addrString(a: Addr): string {
  if (a.length === 4) return a.join('.')
  if (is4In6(a)) return `::ffff:${a.subarray(12).join('.')}`
  const groups = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!)
  let [zeroStart, zeroEnd] = [255, 255]
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i >= 2 && j - i > zeroEnd - zeroStart) [zeroStart, zeroEnd] = [i, j]
  }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += '::'
      i = zeroEnd
      if (i >= 8) break
    } else if (i > 0) out += ':'
    out += groups[i]!.toString(16)
  }
  return out
}

/** netip.Prefix.Masked: the address with bits past the prefix cleared. */
export function masked(p: Prefix): Prefix {
  const addr = new Uint8Array(p.addr)
  for (let bit = p.bits; bit < addr.length * 8; bit++) addr[bit >> 3]! &= ~(0x80 >> (bit & 7))
  return { addr, bits: p.bits }
}

/** netip.Prefix.Contains: same family and the same leading bits. */
export function prefixContains(p: Prefix, a: Addr): boolean {
  if (a.length !== p.addr.length) return false
  return sameBits(p.addr, a, p.bits)
}

/** netip.Prefix.Overlaps. */
export function overlaps(p: Prefix, o: Prefix): boolean {
  if (p.addr.length !== o.addr.length) return false
  return sameBits(p.addr, o.addr, Math.min(p.bits, o.bits))
}

function sameBits(a: Addr, b: Addr, bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> (bit & 7)
    if ((a[bit >> 3]! & mask) !== (b[bit >> 3]! & mask)) return false
  }
  return true
}
