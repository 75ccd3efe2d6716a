import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectPg } from '../../src/db/client.js';
import { signingKeys, clients } from '../../src/db/schema/index.js';
import { ADMIN_ID, ADMIN_SECRET, testConfig, token } from '../helpers/app.js';
import { SERVER_URL, createServerDatabase } from '../helpers/db.js';

describe('start-up', () => {
  it('starts twice on the same embedded data dir, keeping data and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakip-data-'));
    try {
      const config = testConfig({ SAKIP_DATA_DIR: dir });
      const first = await buildApp({ config, logger: false });
      const tok = await token(first, ADMIN_ID, ADMIN_SECRET);
      const created = await first.inject({
        method: 'POST', url: '/v1/agencies', headers: { authorization: `Bearer ${tok}` },
        payload: { code: 'PERSIST', name: 'Tetap Ada', kind: 'regency' },
      });
      expect(created.statusCode).toBe(201);
      await first.close();

      const second = await buildApp({ config, logger: false });
      try {
        // the first process's token still verifies: the key lives in the database
        const res = await second.inject({ method: 'GET', url: '/v1/agencies?code=PERSIST', headers: { authorization: `Bearer ${tok}` } });
        expect(res.statusCode).toBe(200);
        expect(res.json().data).toHaveLength(1);
        expect((await second.inject('/readyz')).statusCode).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(!!SERVER_URL)('starts concurrently on one fresh server database: one migration, one key, one admin', async () => {
    const created = await createServerDatabase();
    const databases = [0, 1, 2].map(() => connectPg(created.url, 3));
    try {
      const apps = await Promise.all(databases.map((database) => buildApp({ config: testConfig(), database, logger: false })));
      const keys = await databases[0].db.select().from(signingKeys);
      expect(keys).toHaveLength(1);
      expect(await databases[0].db.select().from(clients)).toHaveLength(1);
      const tok = await token(apps[0], ADMIN_ID, ADMIN_SECRET);
      for (const app of apps) {
        const res = await app.inject({ method: 'GET', url: '/v1/agencies', headers: { authorization: `Bearer ${tok}` } });
        expect(res.statusCode).toBe(200);
      }
      await Promise.all(apps.map((a) => a.close()));
    } finally {
      await Promise.all(databases.map((d) => d.close()));
      await created.drop();
    }
  });
});
