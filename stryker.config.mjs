// Mutation testing: `npm run mutate` (slow, not in CI; see docs/testing.md for the scores and the survivors).
// StrykerJS 9.6 with its command runner (10 needs Node 22). TypeScript 7 has no JavaScript API, so no
// checker plugin is used and tsconfigFile names a file that does not exist (Stryker then leaves tsconfig alone).
import fs from 'node:fs';

const domainTests = fs.readdirSync('src/domain').filter((f) => f.endsWith('.test.ts')).sort().map((f) => `src/domain/${f}`);
/** The unit tests of the mutated files, and nothing else. */
const tests = [...domainTests, 'src/audit/chain.test.ts', 'src/platform/http/json-body.test.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  // One node process per mutant. The test files are imported into that one process (node:test runs them
  // and exits 1 on a failure) instead of `node --test`, which starts tsx once per file: ~1 s instead of ~8 s.
  commandRunner: { command: `node --import tsx ${tests.map((t) => `--import ./${t}`).join(' ')} --eval ""` },
  coverageAnalysis: 'off', // the command runner cannot report per-test coverage
  mutate: ['src/domain/**/*.ts', '!src/domain/**/*.test.ts', 'src/audit/chain.ts', 'src/platform/http/json-body.ts'],
  tsconfigFile: 'stryker-has-no-tsconfig.json',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  // Below 85 % the command fails; every module of the domain core starts at that bar.
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
