import { describe, expect, it } from 'vitest';
import { findNearDuplicates, nameSimilarity } from '../../src/core/similarity.js';

const upstream = [
  { name: 'review-change', description: 'Review a change before it is merged: correctness, tests, risk.' },
  { name: 'write-commit-message', description: 'Write a commit message in the house style.' },
  { name: 'investigate-failure', description: 'Investigate a failing test or build step by step.' },
];

describe('findNearDuplicates', () => {
  it.each([
    ['review-changes', 'review-change', 'name'],
    ['change-review', 'review-change', 'name'],
    ['commit-message-writer', 'write-commit-message', 'name'],
  ])('%s is close to %s by %s', (name, other, reason) => {
    const found = findNearDuplicates({ name, description: 'something else entirely here' }, upstream);
    expect(found[0]).toMatchObject({ name: other, reason });
  });

  it('finds a similar description under a different name', () => {
    const found = findNearDuplicates(
      { name: 'pr-check', description: 'Review a change before merging it: correctness, tests and risk.' },
      upstream,
    );
    expect(found).toEqual([expect.objectContaining({ name: 'review-change', reason: 'description' })]);
  });

  it('leaves the same name (an update) and unrelated skills alone', () => {
    expect(findNearDuplicates(upstream[0]!, upstream)).toEqual([]);
    expect(
      findNearDuplicates(
        {
          name: 'deploy-checklist',
          description: 'Walk through the pre-deploy checklist for payment services.',
        },
        upstream,
      ),
    ).toEqual([]);
  });

  it('scores names', () => {
    expect(nameSimilarity('a', 'a')).toBe(1);
    expect(nameSimilarity('deploy', 'review')).toBeLessThan(0.5);
  });
});
