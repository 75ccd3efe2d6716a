import { describe, expect, it } from 'vitest';
import { negotiate } from '../../src/http/negotiation.js';

const JSON_ONLY = ['application/json'];
const REPORT = ['application/json', 'text/csv', 'text/html', 'application/pdf'];

describe('negotiate (Accept, RFC 9110 12.5.1)', () => {
  const cases: Array<[string | undefined, string[], string | null]> = [
    [undefined, JSON_ONLY, 'application/json'],
    ['', REPORT, 'application/json'],
    ['*/*', REPORT, 'application/json'],
    ['application/*', REPORT, 'application/json'],
    ['application/json', REPORT, 'application/json'],
    ['application/problem+json', JSON_ONLY, 'application/json'],
    ['application/json, application/problem+json', JSON_ONLY, 'application/json'],
    ['APPLICATION/JSON; charset=utf-8', JSON_ONLY, 'application/json'],
    ['text/html', REPORT, 'text/html'],
    ['text/*', REPORT, 'text/csv'], // the route's order among equals
    ['application/pdf', REPORT, 'application/pdf'],
    ['text/csv', REPORT, 'text/csv'],
    // a browser: html wins over */*
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', REPORT, 'text/html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', JSON_ONLY, 'application/json'],
    // q-values
    ['application/json;q=0.5, application/pdf', REPORT, 'application/pdf'],
    ['text/html;q=0.9, application/json', REPORT, 'application/json'],
    ['text/html;q=0, */*', REPORT, 'application/json'],
    ['application/json;q=0, */*;q=0.1', REPORT, 'text/csv'],
    ['text/csv, application/json', REPORT, 'text/csv'], // the caller's order among equals
    ['*/*;q=0.1, text/csv;q=0.1', REPORT, 'text/csv'], // the more specific range
    // nothing acceptable
    ['application/xml', REPORT, null],
    ['text/csv', JSON_ONLY, null],
    ['text/html', JSON_ONLY, null],
    ['application/json;q=0', JSON_ONLY, null],
    ['image/*', REPORT, null],
    // unreadable headers count as absent
    ['garbage', JSON_ONLY, 'application/json'],
  ];
  it.each(cases)('Accept %j of %j -> %s', (accept, produces, want) => {
    expect(negotiate(accept, produces)).toBe(want);
  });
});
