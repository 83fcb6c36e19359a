import { describe, expect, it } from 'vitest';
import { entropy, scanForSecrets } from '../../src/core/secret-scan.js';

const scan = (text: string, tokens = [] as { id: string; pattern: string; why: string }[]) =>
  scanForSecrets({ files: [{ path: 'SKILL.md', content: Buffer.from(text) }], tokens });

describe('scanForSecrets', () => {
  it.each([
    ['aws key', 'key: AKIAIOSFODNN7EXAMPLE', 'token-aws-access-key'],
    ['github token', `token ghp_${'x1Y2z3'.repeat(7)}`, 'token-github'],
    ['gitlab token', 'glpat-abcdefghij0123456789', 'token-gitlab'],
    ['slack token', 'xoxb-1234567890-abcdef', 'token-slack'],
    ['private key', '-----BEGIN OPENSSH PRIVATE KEY-----', 'private-key'],
    ['rsa private key', '-----BEGIN RSA PRIVATE KEY-----', 'private-key'],
  ])('finds a %s', (_, text, id) => {
    const hits = scan(`# Title\n\n${text}\n`);
    expect(hits.map((h) => h.id)).toContain(id);
    expect(hits[0]).toMatchObject({ file: 'SKILL.md', line: 3 });
  });

  it('finds a high-entropy value assigned to a secret-looking key, with its column', () => {
    const hits = scan('config:\n  api_key: "q8F3kZ1xLm9Rt2Vb7Nc4"\n');
    expect(hits).toEqual([expect.objectContaining({ id: 'high-entropy-assignment', line: 2, column: 13 })]);
    expect(hits[0]!.excerpt).not.toContain('q8F3kZ1xLm9Rt2Vb7Nc4');
  });

  it('uses the spine token patterns too', () => {
    const hits = scan('id: acme_live_0123456789\n', [
      { id: 'token-acme', pattern: 'acme_live_[0-9]{10}', why: 'Acme key' },
    ]);
    expect(hits.map((h) => h.id)).toEqual(['token-acme']);
  });

  it.each([
    'password: <your password here>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder in a skill, not a template
    'token: ${GITHUB_TOKEN}',
    'api_key: xxxxxxxxxxxxxxxxxxxx',
    'secret_name: production-database-credentials',
    'Set GITHUB_TOKEN in the environment and run the script.',
    'tokenizer = "WordPieceTokenizerFast"',
  ])('ignores placeholders and prose: %s', (text) => {
    expect(scan(text)).toEqual([]);
  });

  it('skips binary files and survives an invalid spine pattern', () => {
    const hits = scanForSecrets({
      files: [{ path: 'logo.png', content: Buffer.from([0, 1, 2, ...Buffer.from('AKIAIOSFODNN7EXAMPLE')]) }],
      tokens: [{ id: 'broken', pattern: '([', why: 'broken' }],
    });
    expect(hits).toEqual([]);
  });

  it('measures entropy', () => {
    expect(entropy('aaaaaaaa')).toBe(0);
    expect(entropy('q8F3kZ1xLm9Rt2Vb')).toBeGreaterThan(3.5);
  });
});
