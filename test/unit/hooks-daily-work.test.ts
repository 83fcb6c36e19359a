import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/hooks/decide.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { gitdir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

// A project as developers keep one: sources, tests, a real .env beside its example, and a dev
// certificate. A guard that denies these calls gets switched off by the people it protects.
const projectDir = gitdir({
  'package.json': '{"name":"app","version":"1.0.0"}\n',
  'README.md': '# app\n',
  'src/app.ts': 'export const x = 1;\n',
  'src/login.ts': '// TODO: rate limit\n',
  'tests/test_api.py': 'def test_ok():\n    assert True\n',
  'scripts/build.sh': '#!/bin/sh\n',
  'logs/app.log': 'ok\n',
  '.env.example': 'DB_URL=\n',
  '.gitignore': '.env\n',
});
writeFileSync(`${projectDir}/.env`, 'DB_URL=postgres://u:p@db/app\n');
const ctx = { projectDir, cwd: projectDir, home: '/home/dev' };

const DAILY_WORK: string[] = [
  'ls',
  'ls -la',
  'ls *',
  'ls -la src/*',
  'ls .env*',
  'wc -c *',
  'wc -l src/*.ts',
  'du -sh *',
  'tree -L 2 -I node_modules',
  'grep -rn TODO src',
  'grep -rn "password" src --include=*.ts',
  'grep -rn API_KEY --include="*.py" .',
  'rg -n TODO',
  'rg --files',
  'cat package.json',
  'cat README.md | grep -i install',
  'cat src/*.ts | wc -l',
  'head -50 src/app.ts',
  'head -n 20 *.md',
  'tail -f logs/app.log',
  "awk '{print $1}' logs/app.log | sort | uniq -c",
  'diff -u src/app.ts src/login.ts',
  "sed -i 's/foo/bar/g' src/app.ts",
  "sed -i.bak -e 's/old/new/' src/*.ts",
  "find . -name '*.ts'",
  "find . -name '*.ts' -not -path './node_modules/*' | xargs wc -l",
  "find src -type f -name '*.py' -exec grep -l import {} +",
  'git status',
  'git status --short',
  'git diff',
  'git diff --stat',
  'git diff HEAD~1 -- src',
  'git diff main...HEAD --name-only',
  'git log --oneline -10',
  'git log -p -3 -- src/app.ts',
  'git log --author=alice --since=1.week',
  'git show HEAD',
  'git show HEAD:src/app.ts',
  'git blame src/app.ts',
  'git add -A',
  'git add src/app.ts .env.example',
  'git commit -m "fix: login redirect"',
  'git commit -am "wip"',
  'git pull --rebase',
  'git checkout -b feature/x',
  'git switch main',
  'git stash && git stash pop',
  'npm install',
  'npm ci',
  'npm test',
  'npm run build',
  'npm run lint -- --fix',
  'npx tsc --noEmit',
  'npx vitest run test/unit',
  'yarn test --watch=false',
  'pnpm -r build',
  'pip install -r requirements.txt',
  'pytest -q',
  'pytest tests/test_api.py -k login -x',
  'python -m pytest --cov=app',
  'poetry run pytest',
  'cargo build --release',
  'cargo test',
  'cargo clippy -- -D warnings',
  'go test ./...',
  'go build ./...',
  'make test',
  'docker compose up -d',
  'docker build -t app .',
  'node scripts/build.js',
  'python3 manage.py migrate',
  'curl -s http://localhost:3000/health | jq .',
  "jq '.version' package.json",
  'eslint . --ext .ts',
  'prettier --write "src/**/*.ts"',
  'chmod +x scripts/*.sh',
  'mkdir -p src/components && touch src/components/Button.tsx',
  'mv src/login.ts src/auth.ts',
  'rm -rf dist node_modules',
  'tar czf dist.tgz dist',
  'export NODE_ENV=test && npm test',
  'echo $PATH',
  "sed -n '1,20p' src/app.ts",
  'python -c "import app; print(app.__version__)"',
  'env | grep NODE',
  'cat ~/.gitconfig',
  'ls -la ~/.ssh',
  'git checkout -- .',
  'git diff .env.example',
  'npx jest src/env.test.ts',
  'grep -rn DB_URL .',
  'git log -p',
  'git rebase -i HEAD~3',
  'terraform plan -out=plan.tfplan',
  'kubectl get pods -n default',
  'source .venv/bin/activate && pytest',
];

let policy: HookPolicy;

describe('ordinary daily work passes the guard', () => {
  it.each(DAILY_WORK)('%s', async (command) => {
    policy ??= await embeddedPolicy();
    const verdict = decide(policy, { tool: 'Bash', input: { command } }, ctx);
    expect(verdict.decision, `${command}: ${verdict.reason}`).toBe('allow');
  });

  it('a gated command asks a person and is never denied', async () => {
    policy ??= await embeddedPolicy();
    const command = 'git push origin feature/login';
    expect(decide(policy, { tool: 'Bash', input: { command } }, ctx)).toMatchObject({
      decision: 'ask',
      rule: 'gate-git-push',
    });
  });

  it('has enough rows to mean something', () => {
    expect(DAILY_WORK.length).toBeGreaterThanOrEqual(40);
  });
});
