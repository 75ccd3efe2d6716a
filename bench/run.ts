import { benchMeasurements } from './measurements.js';

await benchMeasurements();
