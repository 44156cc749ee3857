// Validates an OpenAPI document file against the OpenAPI 3.0 JSON Schema, its references
// resolved, with
// @apidevtools/swagger-parser from tests/browser/node_modules (tests/browser/package-lock.json).
// Exit 0 when valid; otherwise the first problem on stderr and exit 1.
//   node tests/web/validate_openapi.mjs openapi.json
import { createRequire } from 'node:module';

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const SwaggerParser = require('@apidevtools/swagger-parser');

try {
  const api = await SwaggerParser.validate(process.argv[2]);
  console.log(`valid: ${api.info.title}, ${Object.keys(api.paths).length} paths`);
} catch (error) {
  console.error(`invalid: ${error.message}`);
  process.exit(1);
}
