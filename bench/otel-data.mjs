// Generates what an OpenTelemetry Collector's file exporter writes for an org: OTLP/JSON, one
// export request (a batch of up to 1,000 log records) per line, files rotated every ~200k records,
// the older ones gzip-compressed. Each session yields one spine.session, on average one
// spine.near_miss, and Claude Code's own events (tool_decision, tool_result, api_request, …),
// shaped like those the real client sends, so parsing costs what it would. Two shapes: every
// record under its repo's resource (a client that applies the project's resource attributes), or
// the client's own events under a resource with no repo (2.1.332 and later), joined to spine's
// records by session id.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Two hex digits of the copy number, in every id: copies of one file are distinct records. */
const GEN = '@@';

const kv = (key, value) =>
  typeof value === 'number'
    ? `{"key":"${key}","value":{"intValue":"${value}"}}`
    : `{"key":"${key}","value":{"stringValue":"${value}"}}`;
const list = (key, counts) =>
  `{"key":"${key}","value":{"kvlistValue":{"values":[${Object.entries(counts)
    .map(([k, n]) => kv(k, n))
    .join(',')}]}}}`;
const hex = (n, len) => n.toString(16).padStart(len, '0').slice(-len);

const RULES = [
  'secrets-env-files',
  'secrets-ssh-keys',
  'gate-git-push',
  'secrets-cloud-credentials',
  'sandbox-deny-read',
];
const SKILLS = ['review-change', 'investigate-failure', 'write-commit-message', 'handle-secrets'];

/**
 * The resource of a newer client's own events (2.1.332 and later): it ignores the per-repo
 * OTEL_RESOURCE_ATTRIBUTES of project settings, so they name no team or repo and join spine's
 * session records on `session.id` alone.
 */
const CLIENT_RESOURCE = `{"attributes":[${kv('service.name', 'claude-code')},${kv('service.version', '2.1.332')},${kv('os.type', 'linux')},${kv('host.arch', 'amd64')}]}`;

function resource(team, repo) {
  return `{"attributes":[${kv('service.name', 'spine')},${kv('spine.team', team)},${kv('spine.repo', repo)},${kv('spine.name', 'acme-spine')},${kv('spine.version', '1.4.0')},${kv('spine.champion', `${team}-lead`)},${kv('os.type', 'linux')},${kv('host.arch', 'amd64')}]}`;
}

function sessionRecords(s, t0) {
  const session = `${GEN}${hex(s * 2654435761, 6)}-${hex(s, 4)}-4${hex(s >> 4, 3)}-8${hex(s >> 8, 3)}-${hex(s * 40503, 12)}`;
  const ns = `${t0 + s * 15_000}000000`;
  const common = `${kv('session.id', session)},${kv('user.id', hex(s % 5000, 16))},${kv('terminal.type', 'vscode')},${kv('organization.id', 'b1e6a0c2-7f0e-4a5e-9a0d-0c4b9d8e1f2a')}`;
  const rule = RULES[s % RULES.length];
  const out = [
    `{"timeUnixNano":"${ns}","eventName":"spine.session","body":{"stringValue":"spine.session"},"attributes":[${kv('event.name', 'spine.session')},${kv('spine.record_id', GEN + hex(s * 2654435761, 14) + hex(s, 16))},${kv('session.id', session)},${kv('spine.tool_calls', 12 + (s % 30))},${list('spine.tool_calls_by_agent', { main: 10, Explore: 2 + (s % 30) })},${kv('spine.near_misses', 1)},${list('spine.near_misses_by_guardrail', { [rule]: 1 })},${list('spine.near_misses_by_layer', { guard: 1 })},${list('spine.skills_shared', { [SKILLS[s % 4]]: 1 })},${list('spine.skills_local', {})},${kv('spine.subagents', 1)},${kv('spine.duration_ms', 60000 + s)}]}`,
    `{"timeUnixNano":"${ns}","eventName":"spine.near_miss","body":{"stringValue":"spine.near_miss"},"attributes":[${kv('event.name', 'spine.near_miss')},${kv('spine.record_id', GEN + hex(s * 40503, 14) + hex(s, 16))},${kv('session.id', session)},${kv('spine.guardrail.id', rule)},${kv('tool_name', 'Bash')},${kv('agent_type', 'main')},${kv('spine.layer', 'guard')},${kv('spine.decision', 'deny')}]}`,
  ];
  for (let i = 0; i < 8; i++) {
    const ev = ['tool_decision', 'tool_result', 'api_request', 'tool_result'][i % 4];
    const extra =
      ev === 'tool_decision'
        ? `${kv('decision', 'accept')},${kv('source', 'config')},${kv('tool_name', 'Bash')},${kv('tool_use_id', `toolu_${hex(s, 8)}${i}`)}`
        : ev === 'tool_result'
          ? `${kv('tool_name', 'Read')},${kv('success', 'true')},${kv('duration_ms', 12 + i)},${kv('tool_result_size_bytes', 1834)}`
          : `${kv('model', 'claude-opus-4-8')},${kv('cost_usd', '0.0123')},${kv('duration_ms', 2300)},${kv('input_tokens', 3012)},${kv('output_tokens', 211)}`;
    out.push(
      `{"timeUnixNano":"${ns}","observedTimeUnixNano":"${ns}","body":{"stringValue":"claude_code.${ev}"},"attributes":[${kv('event.name', ev)},${common},${kv('event.timestamp', new Date(Number(ns.slice(0, -6))).toISOString())},${kv('event.sequence', i)},${kv('prompt.id', hex(s * 31 + i, 32))},${extra}]}`,
    );
  }
  return out;
}

/**
 * One file's lines: about `count` records of consecutive sessions from `first`, batched by repo.
 * With `clientResource`, the client's own events of a batch sit under one resource without a
 * repo (a newer client's), spine's records under their repo's.
 */
function fileText(first, count, { repos, batch, t0, clientResource }) {
  const lines = [];
  let written = 0;
  let session = first;
  while (written < count) {
    const byRepo = new Map();
    const client = [];
    let inBatch = 0;
    while (inBatch < batch && written + inBatch < count) {
      const r = session % repos;
      const recs = sessionRecords(session++, t0);
      if (!byRepo.has(r)) byRepo.set(r, []);
      // spine.session and spine.near_miss come first; the rest are the client's own events.
      if (clientResource) {
        byRepo.get(r).push(...recs.slice(0, 2));
        client.push(...recs.slice(2));
      } else byRepo.get(r).push(...recs);
      inBatch += recs.length;
    }
    const scope = (version, recs) =>
      `"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"${version}"},"logRecords":[${recs.join(',')}]}]`;
    const resourceLogs = [...byRepo].map(
      ([r, recs]) =>
        `{"resource":${resource(`team-${r % 50}`, `github.com/acme/repo-${r}`)},${scope('2.1.197', recs)}}`,
    );
    if (client.length) resourceLogs.push(`{"resource":${CLIENT_RESOURCE},${scope('2.1.332', client)}}`);
    lines.push(`{"resourceLogs":[${resourceLogs.join(',')}]}\n`);
    written += inBatch;
  }
  return { text: lines.join(''), written, sessions: session - first };
}

/**
 * Writes about `records` records over `repos` repos into `dir`, `perFile` a file, every other file
 * gzip-compressed. Building records is the slow part, so `templates` files are built and the rest
 * are copies of them with another copy number in every session and record id (still distinct
 * records: nothing deduplicates away). Returns the number of records and files written.
 */
export async function writeCollectorOutput(
  dir,
  { records, repos = 1000, perFile = 200_000, batch = 1000, templates = 5, clientResource = false },
) {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const files = Math.ceil(records / perFile);
  let written = 0;
  let session = 0;
  for (let t = 0; t < Math.min(files, templates); t++) {
    const template = fileText(session, Math.min(perFile, records - t * perFile), {
      repos,
      batch,
      t0,
      clientResource,
    });
    session += template.sessions;
    for (let index = t; index < files; index += templates) {
      const text = template.text.replaceAll(GEN, hex(Math.floor(index / templates), 2));
      const gz = index % 2 === 1;
      const path = join(dir, `logs-${String(index).padStart(4, '0')}.json${gz ? '.gz' : ''}`);
      writeFileSync(path, gz ? gzipSync(text, { level: 1 }) : text);
      written += template.written;
    }
  }
  return { written, files };
}
