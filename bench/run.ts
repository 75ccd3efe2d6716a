// `npm run bench`: builds, then runs each benchmark against PostgreSQL (DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test) on a fresh database, printing ratios to baselines
// measured in the same run. `npm run bench -- events` runs one of them.
import { benchEvents } from './events.js';
import { benchMeasurements } from './measurements.js';
import { benchReports } from './reports.js';

const only = process.argv[2];
if (!only || only === 'measurements') await benchMeasurements();
if (!only || only === 'reports') await benchReports();
if (!only || only === 'events') await benchEvents();
