import { describe, expect, it } from 'vitest';
import { REDACTED, redactString, redactValue, truncate } from '../../src/hooks/redact.js';

describe('redaction of token formats', () => {
  it.each([
    ['aws access key', 'key id AKIAIOSFODNN7EXAMPLE here'],
    ['github token', `token ghp_${'a'.repeat(36)}`],
    ['github fine-grained token', `github_pat_${'A1'.repeat(20)}`],
    ['gitlab token', 'glpat-abcdefghijklmnopqrstu'],
    ['slack token', 'xoxb-123456789012-abcdefghij'],
    ['slack webhook', 'https://hooks.slack.com/services/T000/B000/XXXXXXXX'],
    ['stripe key', `sk_live_${'4'.repeat(24)}`],
    ['anthropic key', `sk-ant-api03-${'x'.repeat(30)}`],
    ['google api key', `AIza${'b'.repeat(35)}`],
  ])('%s', (_, text) => {
    const out = redactString(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toMatch(
      /AKIAIOSFODNN7EXAMPLE|ghp_a|github_pat_A|glpat-a|xoxb-1|T000\/B000|sk_live_4|sk-ant-api|AIzab/,
    );
  });

  it('removes a whole private key block', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redactString(`before\n${key}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
    expect(redactString('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz')).toBe(REDACTED);
  });

  it('keeps the header name and scheme, drops the credentials', () => {
    expect(redactString(`curl -H 'Authorization: Bearer abc.def.ghi' x`)).toBe(
      `curl -H 'Authorization: Bearer ${REDACTED}' x`,
    );
    expect(redactString('authorization: token 0123456789')).toBe(`authorization: token ${REDACTED}`);
    expect(redactString('Authorization: Basic dXNlcjpwYXNz')).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redactString('send bearer eyJhbGciOiJIUzI1NiJ9.x')).toBe(`send bearer ${REDACTED}`);
  });
});

describe('redaction of assignments', () => {
  it.each([
    ['PASSWORD=hunter2', `PASSWORD=${REDACTED}`],
    ['export DB_PASSWORD="hunter 2"', `export DB_PASSWORD="${REDACTED}"`],
    ["SECRET_KEY_BASE='abc'", `SECRET_KEY_BASE='${REDACTED}'`],
    ['GITHUB_TOKEN=abc npm publish', `GITHUB_TOKEN=${REDACTED} npm publish`],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI', `AWS_SECRET_ACCESS_KEY=${REDACTED}`],
    ['{"client_secret": "s3cr3t", "id": 1}', `{"client_secret": "${REDACTED}", "id": 1}`],
    ['db:\n  password: hunter2\n  host: x', `db:\n  password: ${REDACTED}\n  host: x`],
    ['const apiKey = "abc123"', `const apiKey = "${REDACTED}"`],
  ])('%s', (text, expected) => {
    expect(redactString(text)).toBe(expected);
  });

  it.each(['monkey: banana', 'keyboard=qwerty', 'npm test', 'PATH=/usr/bin', 'git push origin main'])(
    'leaves %s alone',
    (text) => {
      expect(redactString(text)).toBe(text);
    },
  );

  it('applies the spine patterns too', () => {
    expect(redactString('id INTERNAL-1234-ABCD', [/INTERNAL-\d{4}-[A-Z]{4}/g])).toBe(`id ${REDACTED}`);
  });

  it('stays linear on long inputs', () => {
    const start = Date.now();
    redactString('x'.repeat(200_000));
    redactString('a=b '.repeat(50_000));
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('bounded values', () => {
  it('redacts secret-named keys and truncates long strings', () => {
    const out = redactValue(
      { command: 'x'.repeat(50), password: 'p', nested: { token: 42, list: ['a'] } },
      10,
    );
    expect(out).toEqual({
      command: truncate('x'.repeat(50), 10),
      password: REDACTED,
      nested: { token: REDACTED, list: ['a'] },
    });
    expect(truncate('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…[truncated 40 chars]`);
  });
});
