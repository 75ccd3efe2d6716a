import { describe, expect, it } from 'vitest';
import {
  RECOMMENDATION_STATUSES,
  type RecommendationStatus,
  allowedTransitions,
  canTransition,
  followUpRate,
  isOverdue,
  isRecommendationStatus,
  roleMayTransition,
  transitionActor,
} from '../../src/domain/recommendation.js';

/** The whole machine: every legal move and the side that makes it. */
const LEGAL: Record<string, 'agency' | 'evaluator'> = {
  'open->in_progress': 'agency',
  'in_progress->completed': 'agency',
  'completed->verified': 'evaluator',
  'completed->in_progress': 'evaluator',
};

const allPairs = RECOMMENDATION_STATUSES.flatMap((from) => RECOMMENDATION_STATUSES.map((to) => [from, to] as const));

describe('recommendation status machine', () => {
  it('has 16 ordered pairs, 4 of them legal', () => {
    expect(allPairs).toHaveLength(16);
    expect(allPairs.filter(([f, t]) => canTransition(f, t))).toHaveLength(4);
  });

  it.each(allPairs)('%s -> %s', (from, to) => {
    const actor = LEGAL[`${from}->${to}`] ?? null;
    expect(canTransition(from, to)).toBe(actor !== null);
    expect(transitionActor(from, to)).toBe(actor);
    expect(allowedTransitions(from).includes(to)).toBe(actor !== null);
  });

  it.each<[RecommendationStatus, RecommendationStatus[]]>([
    ['open', ['in_progress']],
    ['in_progress', ['completed']],
    ['completed', ['in_progress', 'verified']],
    ['verified', []],
  ])('allowedTransitions(%s) = %j', (from, to) => {
    expect(allowedTransitions(from)).toEqual(to);
  });

  it.each(allPairs.filter(([f, t]) => canTransition(f, t)))('who may move %s -> %s', (from, to) => {
    const agency = transitionActor(from, to) === 'agency';
    expect(roleMayTransition('admin', from, to)).toBe(true);
    expect(roleMayTransition('operator', from, to)).toBe(agency);
    expect(roleMayTransition('evaluator', from, to)).toBe(!agency);
    expect(roleMayTransition('submitter', from, to)).toBe(false);
    expect(roleMayTransition('viewer', from, to)).toBe(false);
  });

  it('nobody, not even admin, makes an illegal move', () => {
    expect(roleMayTransition('admin', 'open', 'completed')).toBe(false);
    expect(roleMayTransition('admin', 'verified', 'open')).toBe(false);
  });

  it('isRecommendationStatus', () => {
    expect(RECOMMENDATION_STATUSES.every(isRecommendationStatus)).toBe(true);
    expect(isRecommendationStatus('done')).toBe(false);
    expect(isRecommendationStatus(undefined)).toBe(false);
  });
});

describe('isOverdue', () => {
  it.each<[RecommendationStatus, string | null, string | Date, boolean]>([
    ['open', '2025-06-30', '2025-07-01', true],
    ['in_progress', '2025-06-30', '2025-07-01', true],
    ['completed', '2025-06-30', '2025-07-01', false],
    ['verified', '2025-06-30', '2025-07-01', false],
    ['open', '2025-07-01', '2025-07-01', false], // due today is not yet overdue
    ['open', '2025-07-02', '2025-07-01', false],
    ['open', null, '2030-01-01', false],
    ['open', '2025-06-30', new Date('2025-07-01T00:00:00Z'), true],
    ['open', '2025-06-30T00:00:00.000Z', '2025-07-01', true],
  ])('%s due %j on %j -> %s', (status, dueDate, today, expected) => {
    expect(isOverdue({ status, dueDate }, today)).toBe(expected);
  });

  it('throws on malformed dates', () => {
    expect(() => isOverdue({ status: 'open', dueDate: '30/06/2025' }, '2025-07-01')).toThrow(RangeError);
    expect(() => isOverdue({ status: 'open', dueDate: '2025-06-30' }, 'today')).toThrow(RangeError);
  });
});

describe('followUpRate', () => {
  it.each<[Partial<Record<RecommendationStatus, number>>, string]>([
    [{}, '0.00'], // no recommendations: 0, by choice (see recommendation.ts)
    [{ open: 0, verified: 0 }, '0.00'],
    [{ verified: 4 }, '100.00'],
    [{ open: 1, in_progress: 1, completed: 1, verified: 1 }, '25.00'],
    [{ open: 1, verified: 2 }, '66.67'],
    [{ open: 2, verified: 1 }, '33.33'],
    [{ completed: 5 }, '0.00'],
    [{ open: 199, verified: 1 }, '0.50'],
    [{ open: 1999, verified: 1 }, '0.05'],
    [{ open: 7999, verified: 1 }, '0.01'], // 0.0125
    [{ open: 15, verified: 1 }, '6.25'],
    [{ open: 19999, verified: 1 }, '0.01'], // 0.005 rounds half up
  ])('%j -> %s', (byStatus, expected) => {
    expect(followUpRate(byStatus)).toBe(expected);
  });
});
