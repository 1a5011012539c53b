// One request to a real kube-apiserver started by testkit's startRealApiServer, with its CA and
// token: the status, the body and the Warning header, shared by the oracle tests.
import { request } from 'node:https'
import type { RealApiServer } from '@k8s-codegen/testkit'
import type { OpenApiDocument } from '../src/index.js'

/** The status, body and Warning header of one request with the server's admin token. */
export function call(
  server: RealApiServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string; warning: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method,
        ca: server.caPem,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            warning: String(res.headers.warning ?? ''),
          }),
        )
      },
    )
    req.on('error', reject)
    if (body !== undefined) req.write(JSON.stringify(body))
    req.end()
  })
}

/** The OpenAPI v3 document the server publishes for a group-version (`example.com/v1`). */
export async function publishedDocument(
  server: RealApiServer,
  groupVersion: string,
): Promise<OpenApiDocument> {
  return JSON.parse(
    (await call(server, 'GET', `/openapi/v3/apis/${groupVersion}`)).body,
  ) as OpenApiDocument
}
