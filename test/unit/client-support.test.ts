import { describe, expect, it } from 'vitest';
import { maskEntries } from '../../src/core/client/credential-masks.js';
import { clientAtLeast, clientBelow, clientLine, guaranteesNotHeld } from '../../src/core/client/support.js';

const client = (version?: string) => ({ found: true as const, path: '/usr/bin/claude', version });

describe('the client on the machine', () => {
  it('compares versions only when one was read', () => {
    expect(clientAtLeast(client('2.1.332'), '2.1.332')).toBe(true);
    expect(clientAtLeast(client('2.1.331'), '2.1.332')).toBe(false);
    expect(clientBelow(client('2.1.198'), '2.1.199')).toBe(true);
    // Unknown is neither: no finding may rest on a version nobody read.
    expect(clientAtLeast(client(), '2.1.0')).toBe(false);
    expect(clientBelow(client(), '9.0.0')).toBe(false);
    expect(clientBelow({ found: false }, '9.0.0')).toBe(false);
  });

  it('names the guarantees an old client does not give, and none for a supported one', () => {
    expect(guaranteesNotHeld('2.1.197')).toEqual([]);
    expect(guaranteesNotHeld('2.1.332')).toEqual([]);
    expect(guaranteesNotHeld('2.1.190')).toHaveLength(1);
    expect(guaranteesNotHeld('2.1.100').join('\n')).toMatch(/sandbox\.credentials/);
  });

  it('says what it found in one clause', () => {
    expect(clientLine({ found: false })).toBe('client: claude not found on PATH');
    expect(clientLine(client('2.1.332'))).toBe('client: Claude Code 2.1.332');
    expect(clientLine(client())).toBe('client: /usr/bin/claude (version unknown)');
    expect(clientLine(client('2.1.150'))).toMatch(/older than the oldest spine supports \(2\.1\.197\)/);
  });
});

describe('mask entries in a settings file', () => {
  it('finds variables and files in mask mode, ignoring deny and malformed entries', () => {
    const settings = {
      sandbox: {
        credentials: {
          envVars: [{ name: 'A', mode: 'deny' }, { name: 'B', mode: 'mask' }, null, 'x'],
          files: [{ path: '~/.netrc', mode: 'mask' }],
        },
      },
    };
    expect(maskEntries(settings)).toEqual([
      { list: 'envVars', index: 1, target: 'B' },
      { list: 'files', index: 0, target: '~/.netrc' },
    ]);
    expect(maskEntries({ sandbox: { credentials: { envVars: 'B' } } })).toEqual([]);
    expect(maskEntries(null)).toEqual([]);
  });
});
