// Throw-away certificates for tests: a CA, a server certificate for 127.0.0.1/localhost and a
// client certificate, all ECDSA P-256, generated per test run (no key material in the repo).
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export interface Pem {
  cert: string
  key: string
}

export interface TestPki {
  ca: Pem
  server: Pem
  client: Pem
  /** a second, unrelated CA: verification against it must fail */
  otherCa: Pem
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`
}

async function selfSigned(name: string): Promise<Pem & { keys: CryptoKeyPair }> {
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  })
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey), keys }
}

async function issued(
  issuer: Pem & { keys: CryptoKeyPair },
  name: string,
  serial: string,
  extensions: x509.Extension[],
): Promise<Pem> {
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${name}`,
    issuer: new x509.X509Certificate(issuer.cert).subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: alg,
    extensions,
  })
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey) }
}

/** A fresh CA with a server certificate (127.0.0.1, ::1, localhost) and a client certificate. */
export async function createTestPki(): Promise<TestPki> {
  const ca = await selfSigned('k8s-codegen test CA')
  const other = await selfSigned('k8s-codegen unrelated CA')
  const server = await issued(ca, 'kube-apiserver', '02', [
    new x509.SubjectAlternativeNameExtension([
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
      { type: 'dns', value: 'localhost' },
    ]),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ])
  const client = await issued(ca, 'test-user', '03', [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ])
  return {
    ca: { cert: ca.cert, key: ca.key },
    server,
    client,
    otherCa: { cert: other.cert, key: other.key },
  }
}
