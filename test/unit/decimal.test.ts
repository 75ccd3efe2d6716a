import { describe, expect, it } from 'vitest';
import { formatDecimal, isValidMeasuredValue, roundHalfUp, toDecimal, toNumber } from '../../src/domain/decimal.js';

describe('toDecimal', () => {
  it('is exact where binary floating point drifts', () => {
    expect(toDecimal('0.1').plus('0.2').toFixed()).toBe('0.3');
    expect(toDecimal(0.1).plus(0.2).toFixed()).toBe('0.3');
  });

  it.each(['', ' 1', '1 ', '1e3', '0x1f', 'NaN', 'Infinity', '+1', '1.', '.5', '1,5', 'abc'])(
    'rejects %j',
    (s) => {
      expect(() => toDecimal(s)).toThrow(RangeError);
    },
  );

  it.each([NaN, Infinity, -Infinity])('rejects %s', (n) => {
    expect(() => toDecimal(n)).toThrow();
  });
});

describe('roundHalfUp / formatDecimal', () => {
  it.each([
    ['66.665', 2, '66.67'],
    ['66.664999', 2, '66.66'],
    ['0.125', 2, '0.13'],
    ['2.5', 0, '3'],
    ['-2.345', 2, '-2.35'], // ties away from zero
    ['100', 2, '100.00'],
    ['-0.001', 2, '0.00'], // never "-0.00"
    ['1.23456', 4, '1.2346'],
  ] as const)('formatDecimal(%j, %i) = %j', (x, places, expected) => {
    expect(formatDecimal(x, places)).toBe(expected);
    expect(roundHalfUp(x, places).eq(expected)).toBe(true);
  });

  it('without places gives the exact value without trailing zeros or exponent', () => {
    expect(formatDecimal('12.5000')).toBe('12.5');
    expect(formatDecimal('10.0')).toBe('10');
    expect(formatDecimal('123456789012345.1234')).toBe('123456789012345.1234');
    expect(formatDecimal('0.0000001')).toBe('0.0000001');
    expect(formatDecimal('-0')).toBe('0');
  });

  it('toNumber gives a JSON number', () => {
    expect(toNumber('66.67')).toBe(66.67);
    expect(toNumber(toDecimal('1').div(4))).toBe(0.25);
  });
});

describe('isValidMeasuredValue', () => {
  it.each([
    ['0', true],
    ['12.3456', true],
    ['-12.3456', true],
    ['1.50000', true], // 1 place by value
    [12.5, true],
    [0, true],
    ['999999999999999.9999', true],
    ['12.34567', false],
    [0.1 + 0.2, false], // 0.30000000000000004
    ['1000000000000000', false],
    [1e15, false],
    ['-1000000000000000', false],
    ['1e3', false],
    [' 1', false],
    ['', false],
    [NaN, false],
    [Infinity, false],
    [null, false],
    [undefined, false],
    [true, false],
    [{}, false],
  ] as const)('%j -> %s', (x, expected) => {
    expect(isValidMeasuredValue(x)).toBe(expected);
  });
});
