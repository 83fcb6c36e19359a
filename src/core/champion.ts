/**
 * The champion lands in local.yaml, in telemetry's resource attributes and in review requests:
 * a handle (`@alice`, `@acme/platform`), an e-mail or a name — never control or escape characters
 * that would rewrite a terminal line or break a file.
 */
const CHAMPION = '^[\\p{L}\\p{N}@][\\p{L}\\p{N} ._@/+-]*$';
/** The same for ASCII champions, most of them: a Unicode property class costs half a millisecond to build. */
const ASCII_CHAMPION = /^[A-Za-z0-9@][A-Za-z0-9 ._@/+-]*$/;
let unicodeChampion: RegExp | undefined;

function isChampionShape(champion: string): boolean {
  if (ASCII_CHAMPION.test(champion)) return true;
  unicodeChampion ??= new RegExp(CHAMPION, 'u');
  return unicodeChampion.test(champion);
}

/** Why a champion is unusable, or undefined when it is fine (empty means no champion). */
export function championProblem(champion: string): string | undefined {
  if (champion === '') return undefined;
  if (champion.length > 100) return `the champion is ${champion.length} characters long (at most 100)`;
  if (champion !== champion.trim()) return 'the champion starts or ends with a space';
  if (!isChampionShape(champion))
    return `the champion ${JSON.stringify(champion)} may hold only letters, digits, spaces and . _ @ / + - (a @handle, an e-mail or a name)`;
  return undefined;
}

/**
 * The champion when none is given, as a @handle like every other handle spine asks for: the forge
 * login git knows (`github.user`). Offered at the prompt, where a person sees it, the local part
 * of the git e-mail is the next guess; unattended, a guessed handle could name a stranger on the
 * forge (rollout requests the champion's review), so the e-mail itself is kept.
 */
export function defaultChampion(git: { githubUser?: string; email?: string }, atPrompt: boolean): string {
  const login = git.githubUser?.trim().replace(/^@/, '');
  if (login && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(login)) return `@${login}`;
  if (!atPrompt) return git.email ?? '';
  const local = git.email
    ?.split('@')[0]
    ?.replace(/[^A-Za-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
  return local ? `@${local}` : '';
}
