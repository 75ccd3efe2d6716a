import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPrivateAddress, retryDelayMs } from '../../src/domain/network.js';

describe('isPrivateAddress (webhook SSRF guard)', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true],
    ['172.32.0.1', false], ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true],
    ['224.0.0.1', true], ['255.255.255.255', true], ['8.8.8.8', false], ['103.10.20.30', false],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd12:3456::1', true], ['fc00::1', true], ['ff02::1', true],
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:8.8.8.8', false], ['64:ff9b::10.0.0.1', true],
    ['2001:4860:4860::8888', false], ['[::1]', true], ['fe80::1%eth0', true], ['localhost', true], ['', true],
  ])('%s -> %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('refuses every 10/8, 127/8 and 192.168/16 address', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c) => {
      expect(isPrivateAddress(`10.${a}.${b}.${c}`)).toBe(true);
      expect(isPrivateAddress(`127.${a}.${b}.${c}`)).toBe(true);
      expect(isPrivateAddress(`192.168.${b}.${c}`)).toBe(true);
      expect(isPrivateAddress(`::ffff:10.${a}.${b}.${c}`)).toBe(true);
    }));
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 1000, 60_000, 1000], [2, 1000, 60_000, 2000], [5, 1000, 60_000, 16_000], [7, 1000, 60_000, 60_000], [500, 1000, 60_000, 60_000],
  ])('attempt %i base %i max %i -> %i', (attempt, base, max, expected) => {
    expect(retryDelayMs(attempt, base, max)).toBe(expected);
  });
});
