// `sluice serve`: declared here; ../handlers/serve.ts runs it.
import { Option } from 'commander';
import { defineCommand } from '../define.js';

export const serve = defineCommand({
  name: 'serve',
  description:
    'serve the repository (and every other of its database) over HTTP: the REST API, the S3 gateway, /metrics, /healthz, /readyz',
  writes: 'repository',
  // A shell that talks to a server ($SLUICE_REMOTE) must still be able to start one.
  localOnly: true,
  configure: (cmd) =>
    cmd
      .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)')
      .option('--port <port>', 'port to listen on, 0 for any free one (default 8000)')
      .option('--tls-cert <file>', 'TLS certificate (PEM, with its chain): serve HTTPS')
      .option('--tls-key <file>', 'TLS private key (PEM) of --tls-cert')
      .option(
        '--body-limit <size>',
        'largest object a PUT may upload, e.g. 500MB (default 5GiB); JSON bodies: 1 MiB',
      )
      .option(
        '--schedule',
        "run sluice.yml's scheduled jobs (as `sluice schedule`) — in one replica at a time",
      )
      .option(
        '--gc-interval <duration>',
        'collect garbage in every repository this often, e.g. 1h — in one replica at a time',
      )
      .option(
        '--auth-cache <ms>',
        "keep a key's user and a user's policies this long (default 1000): a revoked key or a changed policy applies within it on each replica; 0 asks every request",
      )
      .option(
        '--trust-proxy <addresses>',
        'proxies (addresses or CIDRs, comma separated) whose X-Forwarded-For names the client',
      )
      .option(
        '--s3-domain <domain>',
        'S3 gateway, virtual-host style: {repository}.DOMAIN names the bucket in the Host header (path style always works)',
      )
      .option(
        '--s3-region <region>',
        'the region S3 clients sign for and GetBucketLocation names (default us-east-1)',
      )
      .option(
        '--redirect-reads',
        'S3 gateway on an S3-backed repository: answer GETs with a 307 to a presigned URL of the backing object, so the bytes do not flow through the server',
      )
      .option('--no-s3-gateway', 'serve the REST API only: S3 requests are not answered')
      .addOption(
        new Option('--log-level <level>', 'JSON log level (default info)').choices([
          'fatal',
          'error',
          'warn',
          'info',
          'debug',
          'trace',
          'silent',
        ]),
      )
      .addOption(
        new Option(
          '--lease-retry <duration>',
          'how often a replica without the lease of singleton work tries to take it (default 10s)',
        ).hideHelp(),
      ),
  handler: async () => (await import('../handlers/serve.js')).run,
});
