import type { OpenedReview } from './types.js';

/**
 * An open review found for the branch, reused rather than a second one opened. A rerun's text
 * (file list, check results) replaces its own only when it differs; a failed rewrite is a warning:
 * the review and the pushed branch stand, and a rerun tries the text again.
 */
export async function reuseReview(
  found: { url: string; number: number; label: string },
  differs: boolean,
  rewrite: () => Promise<unknown>,
  describe: (error: unknown) => string,
): Promise<OpenedReview> {
  const review: OpenedReview = {
    url: found.url,
    number: found.number,
    created: false,
    updated: false,
    reviewers: [],
    warnings: [],
  };
  if (!differs) return review;
  try {
    await rewrite();
    review.updated = true;
  } catch (error) {
    review.warnings.push(`could not update the title and description of ${found.label}: ${describe(error)}`);
  }
  return review;
}
