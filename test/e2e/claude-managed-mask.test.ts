import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeHome, clientAtLeast, runClaude, trustWorkspace } from '../helpers/claude.js';
import { git, gitdir, read, tempDir } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

/**
 * The managed tier carries what project settings cannot: a masked GITHUB_TOKEN and the client's
 * own telemetry switch (newer clients ignore CLAUDE_CODE_ENABLE_TELEMETRY and OTEL_* in project
 * settings), whose events join spine's per-repo records on the session id. The file spine
 * exports is installed where the client reads managed settings on Linux
 * (/etc/claude-code/managed-settings.json) inside a private mount namespace — an overlay on /etc
 * that only the client's process tree sees — so the machine's own /etc is never touched.
 */

const TOKEN = `ghp_${randomBytes(18).toString('hex')}`;
const MASK_SINCE = '2.1.199';

async function waitFor<T>(what: () => T | undefined | false, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out waiting for telemetry');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!canMountPrivately() || !clientAtLeast(MASK_SINCE))(
  'managed settings exported by spine',
  () => {
    let model: ModelServer;
    let api: ReturnType<typeof createServer>;
    const authorizations: string[] = [];
    let wrapper: string;
    let spine: string;
    let receiver: OtlpReceiver;

    beforeAll(async () => {
      api = createServer((req, res) => {
        authorizations.push(String(req.headers.authorization ?? ''));
        res.end('ok\n');
      });
      await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
      const port = (api.address() as AddressInfo).port;
      // The sandbox's no_proxy lists localhost; --noproxy '' sends the request through the proxy,
      // where the mask is swapped for the real value.
      const call = `echo "GH=$GITHUB_TOKEN"; curl --noproxy '' -sS -m 10 http://localhost:${port}/ -H "Authorization: Bearer $GITHUB_TOKEN"`;
      model = await startModelServer({
        main: [
          { tools: [{ name: 'Bash', input: { command: call, description: 'call the API' } }] },
          { text: 'done' },
        ],
      });
      receiver = await startOtlpReceiver();
      spine = spineCopy((dir) => {
        editFile(dir, 'guardrails/audit.yaml', (t) =>
          t.replace(
            'telemetry:\n  enabled: false',
            `telemetry:\n  enabled: true\n  endpoint: ${receiver.endpoint}\n  logs: true`,
          ),
        );
        editFile(dir, 'guardrails/secrets.yaml', (t) => t.replace('      - GITHUB_TOKEN\n', ''));
        appendFileSync(
          join(dir, 'guardrails/secrets.yaml'),
          `
credentials:
  - id: github-token-masked
    envVars: [GITHUB_TOKEN]
    injectHosts: [localhost]
    allowPlaintextInject: true
    plaintextWhy: the test API listens on loopback over plain HTTP
    level: locked
    why: the API gets the token while the agent never sees it.
`,
        );
      });
      const exported = await runCli(['export', 'managed-settings', '--spine', spine], { cwd: tempDir() });
      expect(exported.code, exported.stderr).toBe(0);
      const file = join(tempDir('spine-managed-'), 'managed-settings.json');
      // The client checks each inject host against the managed tier's own allowed domains.
      const managed = JSON.parse(exported.stdout);
      managed.sandbox.network.allowedDomains = ['localhost'];
      // An organisation's own attribute, as it would add one to the managed file.
      managed.env.OTEL_RESOURCE_ATTRIBUTES = 'org.unit=payments-org';
      writeFileSync(file, JSON.stringify(managed));
      wrapper = managedWrapper(file);
    }, 120_000);

    afterAll(async () => {
      await model?.close();
      api?.close();
      await receiver?.close();
    });

    it('masks GITHUB_TOKEN for a sandboxed command while the API receives the real one; an onboarded repo denies it; the client exports its own events, joined to the repo by spine', async () => {
      /** Project settings that turn the sandbox on and let it reach the loopback API. */
      const plain = gitdir({
        '.claude/settings.json': JSON.stringify({
          sandbox: {
            enabled: true,
            allowUnsandboxedCommands: false,
            network: { allowedDomains: ['localhost'] },
          },
        }),
      });
      const onboarded = gitdir({ 'README.md': '# x\n' });
      git(onboarded, 'remote', 'add', 'origin', 'https://github.com/acme/payments.git');
      const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
        cwd: onboarded,
      });
      expect(init.code, init.stderr).toBe(0);
      writeFileSync(
        join(onboarded, '.claude/settings.local.json'),
        JSON.stringify({ sandbox: { network: { allowedDomains: ['localhost'] } } }),
      );
      const session = (cwd: string) => {
        const home = claudeHome();
        trustWorkspace(home, cwd);
        return runClaude({
          prompt: 'call the API',
          cwd,
          home,
          bin: wrapper,
          baseUrl: model.baseUrl,
          args: ['--allowedTools', 'Bash'],
          env: { GITHUB_TOKEN: TOKEN },
          timeoutMs: 120_000,
        });
      };
      const masked = await session(plain);
      expect(masked.code, masked.stderr).toBe(0);
      const maskedOut = JSON.stringify(masked.messages);
      expect(maskedOut).toMatch(/GH=fake_value_[0-9a-f-]+/);
      expect(authorizations).toEqual([`Bearer ${TOKEN}`]);

      // Project deny (what init writes for a masked credential) wins over the managed mask.
      const denied = await session(onboarded);
      expect(denied.code, denied.stderr).toBe(0);
      expect(JSON.stringify(denied.messages)).toMatch(/GH=\\n/);
      expect(authorizations).toEqual([`Bearer ${TOKEN}`, 'Bearer']);

      // The model never saw the token, in either session.
      expect(model.leaks(TOKEN)).toEqual([]);
      expect(maskedOut + JSON.stringify(denied.messages)).not.toContain(TOKEN);

      // The managed file switched the client's own telemetry on (project settings no longer can):
      // its tool events reach the collector, under the organisation's managed resource attributes.
      const maskedId = masked.init?.session_id;
      const deniedId = denied.init?.session_id;
      const clientEvents = (id: string | undefined) =>
        receiver
          .logRecords()
          .filter((r) => r.resource['service.name'] === 'claude-code' && r.attributes['session.id'] === id);
      const toolEvents = (id: string | undefined) =>
        clientEvents(id)
          .filter((r) => r.event === 'tool_result' || r.event === 'tool_decision')
          .map((r) => [r.event, r.attributes.tool_name])
          .sort();
      await waitFor(() => toolEvents(maskedId).length === 2 && toolEvents(deniedId).length === 2);
      const bashEvents = [
        ['tool_decision', 'Bash'],
        ['tool_result', 'Bash'],
      ];
      expect(toolEvents(maskedId)).toEqual(bashEvents);
      expect(toolEvents(deniedId)).toEqual(bashEvents);
      for (const r of clientEvents(maskedId)) expect(r.resource['org.unit']).toBe('payments-org');

      // Per-repo attribution of those events comes from spine's own record of the same session:
      // its session id, with the repo, team and champion the onboarded repo's settings name.
      const spineSession = await waitFor(() =>
        receiver
          .logRecords()
          .find((r) => r.event === 'spine.session' && r.attributes['session.id'] === deniedId),
      );
      expect(spineSession.resource).toMatchObject({
        'service.name': 'spine',
        'spine.repo': 'github.com/acme/payments',
        'spine.team': 't',
        'spine.champion': 'c',
      });
      expect(read(receiver.logsFile, '')).not.toContain(TOKEN);

      // spine report makes the same join: the onboarded session's client events are attributed
      // through its spine.session record; the plain repo's (no hook, no record) stay unattributed.
      const facts = join(tempDir('spine-facts-'), 'facts.json');
      writeFileSync(facts, (await runCli(['facts', '--json'], { cwd: onboarded })).stdout);
      const report = await runCli(
        ['report', '--facts', facts, '--otel', receiver.logsFile, '--no-doctor', '--json'],
        { cwd: onboarded },
      );
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout).coverage.telemetry).toMatchObject({
        joinedBySession: clientEvents(deniedId).length,
        unattributed: clientEvents(maskedId).length,
      });
    }, 300_000);
  },
);
