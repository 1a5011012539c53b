import { randomBytes, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface KeyPairPem {
  certPem: string
  keyPem: string
}

/** The per-start certificate authority and the certificates it signed. */
export interface Certificates {
  ca: KeyPairPem
  server: KeyPairPem
  client: KeyPairPem
}

function serialNumber(): string {
  // Positive 16-byte serial (RFC 5280 §4.1.2.2: positive, at most 20 octets).
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes.toString('hex')
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key)
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
}

/**
 * Generates a fresh CA, a server certificate (SAN 127.0.0.1, ::1, localhost, like the serving
 * certificate kube-apiserver's `--advertise-address` self-signs in apiserver
 * `pkg/server/options/serving.go`) and a client certificate (CN `k8s-emulator-user`, O
 * `system:masters`, the subject/organization mapping of apiserver
 * `pkg/authentication/request/x509/x509.go` `CommonNameUserConversion`). Nothing is written to disk.
 */
export async function generateCertificates(): Promise<Certificates> {
  const notBefore = new Date(Date.now() - 60_000)
  const notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000)
  const caKeys = await generateKeys()
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=k8s-emulator-ca',
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caCert)

  async function issue(
    subject: string,
    usage: x509.ExtendedKeyUsage,
    extra: x509.Extension[],
  ): Promise<KeyPairPem> {
    const keys = await generateKeys()
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        authorityKeyId,
        ...extra,
      ],
    })
    return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) }
  }

  const server = await issue('CN=kube-apiserver', x509.ExtendedKeyUsage.serverAuth, [
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ]),
  ])
  const client = await issue(
    'CN=k8s-emulator-user, O=system:masters',
    x509.ExtendedKeyUsage.clientAuth,
    [],
  )
  return {
    ca: { certPem: caCert.toString('pem'), keyPem: await privateKeyPem(caKeys.privateKey) },
    server,
    client,
  }
}
