import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The reference Collector configurations in the docs must be what spine report --otel reads. */
const files = ['docs/collector/file-exporter.yaml', 'docs/collector/file-and-backend.yaml'];

describe.each(files)('%s', (file) => {
  const config = parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));

  it('wires every pipeline component to a defined one', () => {
    for (const [name, pipeline] of Object.entries(
      config.service.pipelines as Record<string, Record<string, string[]>>,
    )) {
      expect(name).toMatch(/^logs(\/|$)/);
      for (const kind of ['receivers', 'processors', 'exporters'] as const)
        for (const id of pipeline[kind] ?? []) expect(config[kind], `${kind} ${id}`).toHaveProperty([id]);
    }
  });

  it('receives OTLP over HTTP and writes OTLP JSON to a file spine can read', () => {
    expect(config.receivers.otlp.protocols.http).toBeDefined();
    const fileExporters = Object.entries(config.exporters as Record<string, Record<string, unknown>>).filter(
      ([id]) => id.startsWith('file'),
    );
    expect(fileExporters).toHaveLength(1);
    const [, exporter] = fileExporters[0]!;
    expect(exporter.format).toBe('json');
    expect(exporter.compression).toBeUndefined();
    expect(exporter.path).toMatch(/\.json$/);
  });
});
