// Runs one browser test case against the real `rectify` binary:
//   node tests/browser/run.mjs --case main_flow --binary build/app/rectify \
//        --source-dir . --artefacts build/browser-artefacts
// Exit 0 passed, 1 failed.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CASES = ['main_flow', 'office', 'dashboard_exports', 'phone', 'survey', 'campaigns', 'carry_over', 'lists', 'import_twice', 'day_office', 'session_end', 'stale_item'];

const { values } = parseArgs({
  options: {
    case: { type: 'string' },
    binary: { type: 'string' },
    'source-dir': { type: 'string', default: '.' },
    artefacts: { type: 'string', default: 'browser-artefacts' },
  },
});
if (!CASES.includes(values.case) || !values.binary) {
  console.error(`usage: run.mjs --case ${CASES.join('|')} --binary PATH [--source-dir DIR] [--artefacts DIR]`);
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules/playwright-core'))) {
  console.error('playwright-core is not installed: run scripts/install-deps.sh (npm ci in tests/browser)');
  process.exit(1);
}
const { CHROMIUM } = await import('./harness.mjs');
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: run scripts/install-deps.sh (Debian's chromium package)`);
  process.exit(1);
}

const source = path.resolve(values['source-dir']);
const context = {
  binary: path.resolve(values.binary),
  source,
  campaign: path.join(source, 'workflows/gaoqiao-2021-autumn.json'),
  samples: path.join(source, 'workflows/demo/gaoqiao-2021-samples.json'),
  artefacts: path.resolve(values.artefacts),
  cleanups: [],
};

const started = Date.now();
let code = 0;
try {
  const { run } = await import(`./cases/${values.case}.mjs`);
  await run(context);
  console.log(`browser ${values.case}: passed`);
} catch (error) {
  console.error(`browser ${values.case}: FAILED\n${error.stack || error}`);
  code = 1;
} finally {
  for (const cleanup of context.cleanups.reverse()) {
    try { await cleanup(); } catch (error) { console.error(`cleanup: ${error}`); }
  }
}
console.log(`browser ${values.case}: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${context.artefacts}`);
process.exit(code);
