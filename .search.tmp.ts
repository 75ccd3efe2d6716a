import { scoreEvaluation, type Framework } from '/work/main/src/domain/evaluation.ts';
const W: Record<string, number[]> = { planning: [6, 9, 15], measurement: [6, 9, 15], reporting: [3, 4.5, 7.5], internal_evaluation: [5, 7.5, 12.5] };
const S = ['fulfillment', 'quality', 'utilization'];
const fw: Framework = { components: Object.entries(W).map(([c, ws]) => ({ code: c, weight: ws.reduce((a, b) => a + b), subComponents: ws.map((w, i) => ({ code: S[i], weight: w, criteria: [0, 1, 2].map((k) => ({ id: `${c}.${S[i]}.${k}`, scale: 'ABCD' as const })) })) })) };
const targets = new Set(['90.01', '80.01', '70.01', '60.01', '50.01', '30.01', '90.00','80.00']);
const found: Record<string, string> = {};
const opts = ['A', 'A', 'A', 'B', 'C', 'D', undefined];
for (let n = 0; n < 3_000_000 && Object.keys(found).length < targets.size; n++) {
  const m = new Map<string, string>();
  const desc: string[] = [];
  for (const c of fw.components) for (const s of c.subComponents) for (const cr of s.criteria) {
    const a = opts[Math.floor(Math.random() * opts.length)];
    if (a) { m.set(cr.id, a); }
    if (a !== 'A') desc.push(`${cr.id}=${a ?? '-'}`);
  }
  const r = scoreEvaluation(fw, m);
  // exact hit: require the exact total to equal the target (check with higher-precision rounding)
  const r4 = r.total;
  if (targets.has(r4) && !found[r4] && desc.length < 12) {
    found[r4] = desc.join(' ');
  }
}
console.log(found);
