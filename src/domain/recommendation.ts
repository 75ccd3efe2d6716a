/**
 * Follow-up (tindak lanjut) of evaluation recommendations (DOMAIN.md "Recommendations and
 * follow-up"):
 *
 *   open -> in_progress -> completed   agency side (operator, admin)
 *   completed -> verified              evaluator side (evaluator, admin)
 *   completed -> in_progress           evaluator sends it back
 *
 * Nothing else: no skipping (open -> completed), nothing out of verified, no same-status "moves".
 */
import { D, formatDecimal } from './decimal.js';

export const RECOMMENDATION_STATUSES = ['open', 'in_progress', 'completed', 'verified'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
export type TransitionActor = 'agency' | 'evaluator';

const TRANSITIONS: Readonly<Record<RecommendationStatus, Partial<Record<RecommendationStatus, TransitionActor>>>> = {
  open: { in_progress: 'agency' },
  in_progress: { completed: 'agency' },
  completed: { verified: 'evaluator', in_progress: 'evaluator' },
  verified: {},
};

export function isRecommendationStatus(s: unknown): s is RecommendationStatus {
  return (RECOMMENDATION_STATUSES as readonly unknown[]).includes(s);
}

/** Statuses reachable in one step from `from`. */
export function allowedTransitions(from: RecommendationStatus): RecommendationStatus[] {
  return RECOMMENDATION_STATUSES.filter((to) => TRANSITIONS[from][to] !== undefined);
}

export function canTransition(from: RecommendationStatus, to: RecommendationStatus): boolean {
  return transitionActor(from, to) !== null;
}

/** Which side performs the move, or null when the move is not allowed at all. */
export function transitionActor(from: RecommendationStatus, to: RecommendationStatus): TransitionActor | null {
  return TRANSITIONS[from]?.[to] ?? null;
}

/**
 * Whether a user role may perform the move: admin acts on both sides, operator on the agency
 * side, evaluator on the evaluator side; any other role (submitter, viewer, ...) on neither.
 */
export function roleMayTransition(role: string, from: RecommendationStatus, to: RecommendationStatus): boolean {
  const actor = transitionActor(from, to);
  if (actor === null) return false;
  if (role === 'admin') return true;
  return actor === 'agency' ? role === 'operator' : role === 'evaluator';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Overdue = the due date is before today and the agency has not finished (status open or
 * in_progress). Dates are ISO `YYYY-MM-DD` strings (compared as calendar dates, so no timezone
 * enters); a Date `today` is taken as its UTC calendar date. No due date -> never overdue.
 */
export function isOverdue(
  rec: { status: RecommendationStatus; dueDate: string | null | undefined },
  today: string | Date,
): boolean {
  const t = typeof today === 'string' ? today : today.toISOString().slice(0, 10);
  if (!ISO_DATE.test(t)) throw new RangeError(`invalid date: ${JSON.stringify(t)}`);
  if (rec.dueDate == null) return false;
  const due = rec.dueDate.slice(0, 10);
  if (!ISO_DATE.test(due)) throw new RangeError(`invalid due date: ${JSON.stringify(rec.dueDate)}`);
  return due < t && rec.status !== 'completed' && rec.status !== 'verified';
}

/**
 * Follow-up rate of an agency-year = verified / all recommendations × 100, rounded half up to 2
 * decimals. With no recommendation at all the rate is "0.00", not null: nothing has been followed
 * up, and a number keeps the report's column and sorting uniform.
 */
export function followUpRate(byStatus: Partial<Record<RecommendationStatus, number>>): string {
  const total = RECOMMENDATION_STATUSES.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
  if (total === 0) return formatDecimal(0, 2);
  return formatDecimal(new D(byStatus.verified ?? 0).times(100).div(total), 2);
}
