import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePatterns,
  isSecretName,
  REDACTED,
  redactString,
  redactValue,
  truncate,
} from '../../src/hooks/redact.js';

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

/**
 * Common token formats, each as it appears in a command or its output. The whole secret part
 * must be gone; what stays around it (user names, hosts) keeps the line useful.
 */
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
describe('redaction of a table of token formats', () => {
  const formats: [string, string, string][] = [
    ['aws access key id', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['github classic token', `gh auth login --with-token ghp_${'A'.repeat(36)}`, `ghp_${'A'.repeat(36)}`],
    ['github fine-grained', `x github_pat_${'B1'.repeat(20)}`, `github_pat_${'B1'.repeat(20)}`],
    ['gitlab token', 'x glpat-abcdefghijklmnopqrstu', 'glpat-abcdefghijklmnopqrstu'],
    ['slack bot token', 'x xoxb-123456789012-abcdefghij', 'xoxb-123456789012-abcdefghij'],
    ['stripe secret key', `x sk_live_${'4'.repeat(24)}`, `sk_live_${'4'.repeat(24)}`],
    ['anthropic key', `x sk-ant-api03-${'x'.repeat(30)}`, `sk-ant-api03-${'x'.repeat(30)}`],
    ['openai project key', `x sk-proj-${'y'.repeat(40)}`, `sk-proj-${'y'.repeat(40)}`],
    ['google api key', `x AIza${'b'.repeat(35)}`, `AIza${'b'.repeat(35)}`],
    ['jwt', `curl -H "X-Token: ${JWT}" api`, JWT],
    ['jwt in a cookie', `cookie: session=${JWT}; path=/`, JWT],
    ['postgres url password', 'psql postgres://app:s3cr3tPw@db.internal:5432/app', 's3cr3tPw'],
    ['postgresql url password', 'DATABASE=postgresql://app:Pa55-w0rd@db/app', 'Pa55-w0rd'],
    ['mysql url password', 'mysql://root:hunter2@127.0.0.1/db', 'hunter2'],
    ['mongodb+srv url password', 'mongodb+srv://u:m0ng0pw@cluster0.x.net/db', 'm0ng0pw'],
    ['redis url password', 'redis://:r3dispw@cache:6379', 'r3dispw'],
    ['https url credentials', 'git clone https://bot:t0kenvalue@git.example.com/r.git', 't0kenvalue'],
    ['npm token', `//registry.npmjs.org/:_authToken=npm_${'C'.repeat(36)}`, `npm_${'C'.repeat(36)}`],
    ['npm token alone', `echo npm_${'d'.repeat(36)}`, `npm_${'d'.repeat(36)}`],
    ['sendgrid key', `x SG.${'e'.repeat(22)}.${'f'.repeat(43)}`, `SG.${'e'.repeat(22)}.${'f'.repeat(43)}`],
    [
      'pypi token',
      `twine upload -p pypi-AgEIcHlwaS5vcmc${'g'.repeat(60)}`,
      `pypi-AgEIcHlwaS5vcmc${'g'.repeat(60)}`,
    ],
    ['docker hub token', `docker login -p dckr_pat_${'h'.repeat(27)}`, `dckr_pat_${'h'.repeat(27)}`],
    ['hugging face token', `x hf_${'i'.repeat(34)}`, `hf_${'i'.repeat(34)}`],
    ['shopify token', `x shpat_${'a1'.repeat(16)}`, `shpat_${'a1'.repeat(16)}`],
    ['digitalocean token', `x dop_v1_${'b2'.repeat(32)}`, `dop_v1_${'b2'.repeat(32)}`],
    ['twilio api key', `x SK${'c3'.repeat(16)}`, `SK${'c3'.repeat(16)}`],
    ['mailgun key', `x key-${'d4'.repeat(16)}`, `key-${'d4'.repeat(16)}`],
    ['telegram bot token', `x 123456789:AA${'j'.repeat(33)}`, `123456789:AA${'j'.repeat(33)}`],
    ['bearer header', `curl -H 'Authorization: Bearer abcdefghijkl' x`, 'abcdefghijkl'],
    ['password assignment', 'export DB_PASSWORD=hunter2x', 'hunter2x'],
  ];
  it.each(formats)('%s', (_, text, secret) => {
    const out = redactString(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(secret);
  });

  it('keeps the user and host of a URL and leaves URLs without a password alone', () => {
    expect(redactString('postgres://app:pw123@db:5432/app')).toBe(`postgres://app:${REDACTED}@db:5432/app`);
    for (const text of [
      'https://github.com/o/r.git',
      'ssh://git@github.com/o/r',
      'http://localhost:3000/a:b',
    ]) {
      expect(redactString(text)).toBe(text);
    }
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
    expect(redactString('id INTERNAL-1234-ABCD', [{ re: /INTERNAL-\d{4}-[A-Z]{4}/g }])).toBe(
      `id ${REDACTED}`,
    );
    const spine = compilePatterns([{ pattern: 'INTERNAL-\\d{4}-[A-Z]{4}' }], () => {});
    expect(spine[0]!.marks).toEqual(['INTERNAL-']);
    expect(redactString('id INTERNAL-1234-ABCD', spine)).toBe(`id ${REDACTED}`);
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

describe('secret names', () => {
  // The expressions isSecretName replaced (compiling the case-insensitive one cost every hook
  // process more than the rest of the redaction); the words and loops must say the same.
  const SECRET_NAME =
    /(?:^|[_.-])(?:password|passwd|pass|secret|token|key|apikey|credentials?|auth)s?(?:$|[_.-])/i;
  const SECRET_CAMEL = /[a-z0-9](?:Password|Passwd|Secret|Token|Key|Credentials?)s?$/;
  const byExpression = (name: string) => SECRET_NAME.test(name) || SECRET_CAMEL.test(name);

  it('names them as the expressions did', () => {
    for (const name of [
      'DB_PASSWORD',
      'api-key',
      'auth.tokens',
      'dbPassword',
      'apiKeys',
      'client_secret',
      'PASSWD',
      'credentialss',
      'fooCredentialss',
      'monkey',
      'keyboard',
      'Key',
      'key',
      'pass_',
      '_auth_',
      'authorization',
      'tokenizer',
      'secretary',
      '9Token',
      'aToken',
      'AToken',
      'passs',
      'x.keys.y',
    ])
      expect(isSecretName(name), name).toBe(byExpression(name));
  });

  it('agrees with them on any name made of their parts (property)', () => {
    const part = fc.constantFrom(
      'password',
      'PASSWORD',
      'Password',
      'passwd',
      'Passwd',
      'pass',
      'Pass',
      'secret',
      'Secret',
      'token',
      'Token',
      'key',
      'Key',
      'KEY',
      'apikey',
      'ApiKey',
      'credential',
      'Credential',
      'credentials',
      'auth',
      'AUTH',
      's',
      'S',
      '_',
      '.',
      '-',
      'a',
      'Z',
      '9',
      'db',
      'my',
      ' ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const name = parts.join('');
        expect(isSecretName(name)).toBe(byExpression(name));
      }),
      { numRuns: 5000 },
    );
  });
});
