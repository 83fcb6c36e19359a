import { metadataHost } from '../core/net/metadata-address.js';
import { type Problem, problem } from '../core/problems.js';
import type { Spine } from './model.js';
import { locateText } from './sandbox-rules.js';
import { displayPath, type SpineTree } from './tree.js';

const AUDIT = 'guardrails/audit.yaml';

/** The OTLP protocol of both exporters when the spine names none: the OTLP default. */
export const DEFAULT_OTLP_PROTOCOL = 'http/protobuf';

/**
 * The telemetry protocol names what Claude Code's exporter and spine's own hook exporter both
 * speak. The hook stays dependency-free, so it speaks OTLP/HTTP (JSON or protobuf) and not gRPC:
 * a spine asking for gRPC would leave spine's records in the outbox for good.
 */
export function checkTelemetryRules(spine: Spine, tree: SpineTree): Problem[] {
  return [...checkProtocol(spine, tree), ...checkEndpointHost(spine, tree)];
}

/**
 * An endpoint on a link-local or cloud metadata address (169.254.169.254, fe80::/10,
 * metadata.google.internal) would have every developer machine and CI runner post its records to
 * its cloud's metadata service. A spine that really runs its collector there says so.
 */
function checkEndpointHost(spine: Spine, tree: SpineTree): Problem[] {
  const telemetry = spine.audit?.telemetry;
  const host = telemetry?.endpoint ? metadataHost(telemetry.endpoint) : undefined;
  if (!host || telemetry?.allowLinkLocal) return [];
  const content = tree.files.get(AUDIT);
  const lines = content?.toString('utf8').split('\n') ?? [];
  const index = lines.findIndex((l) => /^\s*endpoint\s*:/.test(l));
  const at =
    index >= 0
      ? { line: index + 1, column: lines[index]!.indexOf('endpoint') + 1 }
      : locateText(content, 'endpoint');
  return [
    problem(
      'telemetry-endpoint-link-local',
      `endpoint ${host} is a link-local or cloud metadata address: records sent there reach the machine's metadata service, not a collector; name the collector's address, or set allowLinkLocal: true under telemetry if the collector really listens there`,
      { file: displayPath(tree, AUDIT), ...at },
    ),
  ];
}

function checkProtocol(spine: Spine, tree: SpineTree): Problem[] {
  if (spine.audit?.telemetry?.protocol !== 'grpc') return [];
  const content = tree.files.get(AUDIT);
  const lines = content?.toString('utf8').split('\n') ?? [];
  const index = lines.findIndex((l) => /^\s*protocol\s*:\s*["']?grpc\b/.test(l));
  const at =
    index >= 0 ? { line: index + 1, column: lines[index]!.indexOf('grpc') + 1 } : locateText(content, 'grpc');
  return [
    problem(
      'telemetry-protocol',
      "protocol grpc: spine's own records go over OTLP/HTTP only; use http/protobuf (or http/json) and the Collector's HTTP port (4318)",
      { file: displayPath(tree, AUDIT), ...at },
    ),
  ];
}
