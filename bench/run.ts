// `npm run bench`: builds, then runs each benchmark against PostgreSQL (DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test) on a fresh database, printing ratios to baselines
// measured in the same run.
import { benchMeasurements } from './measurements.js';
import { benchPrinting } from './printing.js';
import { benchReports } from './reports.js';

const only = process.argv[2];
if (!only || only === 'measurements') await benchMeasurements();
if (!only || only === 'reports') await benchReports();
if (!only || only === 'printing') await benchPrinting();
