import { describe, expect, it } from 'vitest';
import { metadataHost } from '../../src/core/net/metadata-address.js';
import { otlpTarget } from '../../src/hooks/otlp-send.js';

describe('link-local and metadata addresses', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://2852039166:4318', '169.254.169.254'],
    ['http://0xa9fea9fe:4318', '169.254.169.254'],
    ['http://0251.0376.0251.0376/', '169.254.169.254'],
    ['http://169.254.0.1:4318', '169.254.0.1'],
    ['http://[fe80::1]:4318', '[fe80::1]'],
    ['http://[febf:ffff::1]/', '[febf:ffff::1]'],
    ['http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]'],
    ['http://[fd00:ec2::254]/', '[fd00:ec2::254]'],
    ['http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal'],
    ['http://METADATA.google.internal./', 'metadata.google.internal.'],
    ['http://100.100.100.200/', '100.100.100.200'],
  ])('%s is refused', (url, host) => {
    expect(metadataHost(url)).toBe(host);
  });

  it.each([
    'https://otel.example.com',
    'http://localhost:4318',
    'http://127.0.0.1:4318',
    'http://10.0.0.5:4318',
    'http://169.255.0.1/',
    'http://[fec0::1]/',
    'http://[::1]:4318',
    'http://collector.internal:4318',
    'not a url',
  ])('%s is a collector', (url) => {
    expect(metadataHost(url)).toBeUndefined();
  });
});

describe("the hook's exporter", () => {
  const env = { CLAUDE_CODE_ENABLE_TELEMETRY: '1' };

  it('has no target on a metadata address unless the spine allows it', () => {
    const telemetry = { endpoint: 'http://169.254.169.254:4318', protocol: 'http/json' };
    expect(otlpTarget(telemetry, env)).toBeUndefined();
    expect(otlpTarget({ ...telemetry, allowLinkLocal: true }, env)).toMatchObject({
      url: 'http://169.254.169.254:4318/v1/logs',
      allowLinkLocal: true,
    });
    expect(otlpTarget({ endpoint: 'http://127.0.0.1:4318', protocol: 'http/json' }, env)?.url).toBe(
      'http://127.0.0.1:4318/v1/logs',
    );
  });
});
