import { numeric, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDs (v7) so that ordering by id is ordering by creation: cursors stay simple. */
export const newId = () => uuidv7();
export const id = () => uuid('id').primaryKey().$defaultFn(newId);
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
/** Measured values, targets and money: exact decimals with up to 4 places, strings in TypeScript. */
export const decimal = (name: string) => numeric(name, { precision: 24, scale: 4 });
