import type { LoadConnectionOptions } from '@k8s-codegen/cluster'
import type { Options } from 'yargs'
import type { CliContext } from './context.js'

/**
 * kubectl's connection flags, same names and meaning (kubectl `--help` of any command).
 *
 * @example
 * yargs.options(connectionFlags) // --kubeconfig --context … --namespace/-n
 */
export const connectionFlags = {
  kubeconfig: {
    type: 'string',
    describe: 'Path to the kubeconfig file to use (instead of KUBECONFIG / ~/.kube/config)',
    group: 'Connection:',
  },
  context: {
    type: 'string',
    describe: 'The name of the kubeconfig context to use',
    group: 'Connection:',
  },
  cluster: {
    type: 'string',
    describe: 'The name of the kubeconfig cluster to use',
    group: 'Connection:',
  },
  user: {
    type: 'string',
    describe: 'The name of the kubeconfig user to use',
    group: 'Connection:',
  },
  server: {
    type: 'string',
    describe: 'The address and port of the Kubernetes API server (may include a path prefix)',
    group: 'Connection:',
  },
  token: {
    type: 'string',
    describe: 'Bearer token for authentication to the API server',
    group: 'Connection:',
  },
  'certificate-authority': {
    type: 'string',
    describe: 'Path to a cert file for the certificate authority',
    group: 'Connection:',
  },
  'insecure-skip-tls-verify': {
    type: 'boolean',
    describe: "If true, the server's certificate will not be checked for validity",
    group: 'Connection:',
  },
  'tls-server-name': {
    type: 'string',
    describe: 'Server name to use for server certificate validation',
    group: 'Connection:',
  },
  namespace: {
    type: 'string',
    alias: 'n',
    describe: 'The namespace scope for this request',
    group: 'Connection:',
  },
  'request-timeout': {
    type: 'string',
    describe:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests. (default 60s)",
    group: 'Connection:',
  },
} as const satisfies Record<string, Options>

/**
 * Parsed values of {@link connectionFlags}.
 *
 * @example
 * const args: ConnectionArgs = { context: 'prod', namespace: 'tools' }
 */
export interface ConnectionArgs {
  kubeconfig?: string | undefined
  context?: string | undefined
  cluster?: string | undefined
  user?: string | undefined
  server?: string | undefined
  token?: string | undefined
  'certificate-authority'?: string | undefined
  'insecure-skip-tls-verify'?: boolean | undefined
  'tls-server-name'?: string | undefined
  namespace?: string | undefined
  'request-timeout'?: string | undefined
}

/**
 * Turns the flags into `loadConnection` options; warnings go to stderr.
 *
 * @example
 * const connection = await loadConnection(connectionOptions(args, ctx))
 */
export function connectionOptions(args: ConnectionArgs, ctx: CliContext): LoadConnectionOptions {
  const options: LoadConnectionOptions = {
    env: ctx.env,
    onWarning: (message) => ctx.stderr(`warning: ${message}\n`),
  }
  if (args.kubeconfig !== undefined) options.kubeconfig = args.kubeconfig
  if (args.context !== undefined) options.context = args.context
  if (args.cluster !== undefined) options.cluster = args.cluster
  if (args.user !== undefined) options.user = args.user
  if (args.server !== undefined) options.server = args.server
  if (args.token !== undefined) options.token = args.token
  if (args['certificate-authority'] !== undefined)
    options.certificateAuthority = args['certificate-authority']
  if (args['insecure-skip-tls-verify'] !== undefined)
    options.insecureSkipTlsVerify = args['insecure-skip-tls-verify']
  if (args['tls-server-name'] !== undefined) options.tlsServerName = args['tls-server-name']
  if (args.namespace !== undefined) options.namespace = args.namespace
  if (args['request-timeout'] !== undefined) options.requestTimeout = args['request-timeout']
  return options
}
