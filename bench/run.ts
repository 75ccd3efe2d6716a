// `npm run bench [-- agencies|measurements|reports|printing|events|startup|national]`: builds, then runs each
// benchmark against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) on
// a fresh database, printing ratios to baselines measured in the same run (min/median/max over
// BENCH_REPEAT runs, default 3). The whole run writes docs/BENCHMARKS.md.
import { benchAgencies } from './agencies.js';
import { benchEvents } from './events.js';
import { benchMeasurements } from './measurements.js';
import { benchNational } from './national.js';
import { benchPrinting } from './printing.js';
import { benchReports } from './reports.js';
import { benchStartup } from './startup.js';
import { REPEAT, spread } from './common.js';
import { writeBenchmarksDoc, type Figures } from './write-doc.js';

const only = process.argv[2];
const known = ['agencies', 'measurements', 'reports', 'printing', 'events', 'startup', 'national'];
if (only && !known.includes(only)) {
  console.error(`unknown benchmark ${only}; one of ${known.join(', ')}`);
  process.exit(2);
}
const started = performance.now();
const figures: Figures = {};
if (!only || only === 'agencies') figures.agencies = await benchAgencies();
if (!only || only === 'measurements') {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await benchMeasurements());
  figures.measurements = {
    createRatio: spread(runs.map((r) => r.ratios.jsonCreateVsBareUpsert)), updateRatio: spread(runs.map((r) => r.ratios.csvUpdateVsBareUpsert)),
    apiCreateRowsPerSec: spread(runs.map((r) => r.apiJsonCreate.rowsPerSec)), bareCreateRowsPerSec: spread(runs.map((r) => r.bareUpsertInsert.rowsPerSec)),
    apiUpdateRowsPerSec: spread(runs.map((r) => r.apiCsvUpdate.rowsPerSec)), bareUpdateRowsPerSec: spread(runs.map((r) => r.bareUpsertUpdate.rowsPerSec)),
    rows: runs[0].rows,
  };
}
if (!only || only === 'reports') figures.reports = await benchReports();
if (!only || only === 'printing') await benchPrinting();
if (!only || only === 'events') await benchEvents();
if (!only || only === 'startup') figures.startup = await benchStartup();
if (!only || only === 'national') figures.national = await benchNational();
const seconds = (performance.now() - started) / 1000;
console.log(`\nbench: ${seconds.toFixed(0)} s`);
if (!only || only === 'national') writeBenchmarksDoc(figures, seconds, !only);
