/** `switchboard import cases FILE`: streamed NDJSON through the case feed; exit codes 0, 3, 1 and 2; rejected lines named. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { loadConfig } from '../../src/platform/config.ts';
import { createDeps, type Deps } from '../../src/wiring.ts';
import { countCases } from '../../src/cases/store.ts';
import { createGenerator, nextCase } from '../../src/cases/seed/generate.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testEnv } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { caseRecord, ndjson } from '../support/factories.ts';

for (const kind of databaseKinds()) {
  describe(`switchboard import cases [${kind}]`, () => {
    let db: TestDatabase;
    let deps: Deps;
    let dir: string;
    before(async () => {
      db = await createTestDatabase(kind);
      deps = await db.whileNoSchemaIsDropped(() => createDeps(loadConfig(testEnv(db))));
      dir = fs.mkdtempSync(path.join(db.env.DATA_DIR, 'feeds-'));
    });
    after(async () => {
      await deps.database.close();
      await db.drop();
    });

    const cli = (args: string[]) => runCli(db, args);
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };
    const stored = (rn: string) => deps.database.db.selectFrom('cases').select(['receipt_number', 'status']).where('receipt_number', '=', rn).executeTakeFirst();

    test('a file of valid records loads every line and exits 0; loading it again changes nothing', async () => {
      const records = [caseRecord(), caseRecord(), caseRecord()];
      const p = file('good.ndjson', ndjson(records));
      const r = await cli(['import', 'cases', p]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /accepted 3, changed 3, rejected 0/);
      assert.equal(r.stderr, '');
      for (const rec of records) assert.ok(await stored(rec.receiptNumber as string));
      const again = await cli(['import', 'cases', p]);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /accepted 3, changed 0, rejected 0/);
    });

    test('rejected lines are named by number and reason, the good ones still load, and the exit code is 3', async () => {
      const good = [caseRecord(), caseRecord()];
      const p = file('mixed.ndjson', ndjson([
        good[0], '{"receiptNumber": "EAC25900', caseRecord({ receiptNumber: 'XYZ1234567890' }), '', caseRecord({ formType: 'I-999' }), good[1],
      ]));
      const r = await cli(['import', 'cases', p]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stdout, /accepted 2, changed 2, rejected 3/);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 3, r.stderr);
      assert.match(lines[0]!, /^line 2: invalid-request: /);
      assert.match(lines[1]!, /^line 3: invalid-receipt-number: /);
      assert.match(lines[2]!, /^line 5: invalid-request: formType .* \([A-Z]{3}\d{10}\)$/);
      assert.ok(!r.stderr.includes('XYZ1234567890'), 'an invalid receipt number is not echoed');
      for (const rec of good) assert.ok(await stored(rec.receiptNumber as string));
    });

    test('a file that cannot be read exits 1; bad arguments exit 2', async () => {
      const missing = await cli(['import', 'cases', path.join(dir, 'nope.ndjson')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /cannot read .*nope\.ndjson: no such file/);
      const directory = await cli(['import', 'cases', dir]);
      assert.equal(directory.code, 1);
      assert.match(directory.stderr, /is a directory/);
      for (const args of [['import', 'cases'], ['import', 'cases', 'a.ndjson', 'b.ndjson'], ['import', 'cases', '--bogus', 'a.ndjson'], ['import', 'contacts', 'a.ndjson'], ['import']]) {
        assert.equal((await cli(args)).code, 2, args.join(' '));
      }
    });

    test('an empty file loads nothing and exits 0', async () => {
      const r = await cli(['import', 'cases', file('empty.ndjson', '')]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /accepted 0, changed 0, rejected 0/);
    });

    test('a large file is streamed: the first batch is in the database before the rest of the file is written', async (t) => {
      const fifo = path.join(dir, 'feed.pipe');
      try {
        execFileSync('mkfifo', [fifo]);
      } catch {
        t.skip('mkfifo is not available here');
        return;
      }
      const generator = createGenerator(77, '2026-11-29');
      const lines = Array.from({ length: 5200 }, () => `${JSON.stringify(nextCase(generator))}\n`);
      const casesBefore = await countCases(deps.database.db);
      const importing = cli(['import', 'cases', fifo]);

      const writer = fs.createWriteStream(fifo);
      const write = async (chunk: string[]) => {
        for (const line of chunk) if (!writer.write(line)) await once(writer, 'drain');
      };
      await write(lines.slice(0, 2600));
      // The importer must load the first 2,000 lines (one batch) while the writer still holds the rest back:
      // an importer that read the whole file first would wait here for ever.
      const deadline = Date.now() + 20_000;
      while ((await countCases(deps.database.db)) < casesBefore + 2000) {
        assert.ok(Date.now() < deadline, 'the first batch was not loaded before the end of the file: the import is not streaming');
        await new Promise((r) => setTimeout(r, 50));
      }
      await write(lines.slice(2600));
      writer.end();
      const r = await importing;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /accepted 5200, changed 5200, rejected 0/);
      assert.equal(await countCases(deps.database.db), casesBefore + 5200);
    });

    test('a file of more than 5,000 lines with a few bad ones loads the rest', async () => {
      const generator = createGenerator(78, '2026-11-29');
      const lines = Array.from({ length: 6000 }, (_, i) => (i === 4999 ? '{"receiptNumber":"EAC2612345678"}' : JSON.stringify(nextCase(generator))));
      const r = await cli(['import', 'cases', file('big.ndjson', `${lines.join('\n')}\n`)]);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /accepted 5999, changed 5999, rejected 1/);
      assert.match(r.stderr, /^line 5000: invalid-request: formType is missing or not a known form \(EAC2612345678\)$/m);
    });
  });
}
