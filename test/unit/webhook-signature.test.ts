import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newSecret, sign, signedHeaders, verify } from '../../src/modules/webhooks/signature.js';

describe('Standard Webhooks signatures', () => {
  it('match the reference implementation for any id, time and body', () => {
    fc.assert(fc.property(fc.uuid(), fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), fc.string(), (id, ts, body) => {
      const secret = newSecret();
      expect(sign(secret, id, ts, body)).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
    }), { numRuns: 200 });
  });

  it('verify with the reference library and refuse a changed body or another secret', () => {
    const secret = newSecret();
    const body = JSON.stringify({ id: 'e1', type: 'measurement.verified' });
    const headers = signedHeaders(secret, 'e1', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verify(secret, headers, body)).toBe(true);
    expect(verify(secret, headers, `${body} `)).toBe(false);
    expect(verify(newSecret(), headers, body)).toBe(false);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it('signs a known vector (HMAC-SHA256 over "id.timestamp.body")', () => {
    // key bytes "sakip-test-key", base64 c2FraXAtdGVzdC1rZXk=
    expect(sign('whsec_c2FraXAtdGVzdC1rZXk=', 'msg_1', 1700000000, '{"a":1}'))
      .toBe(`v1,${createHmac('sha256', 'sakip-test-key').update('msg_1.1700000000.{"a":1}').digest('base64')}`);
  });
});
