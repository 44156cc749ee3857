// Validates real answers of the server against the schemas its OpenAPI document publishes for
// them, with Ajv (from tests/browser/node_modules, a dependency of @apidevtools/swagger-parser):
// a client generated from the document must read what the server sends.
//   node tests/web/validate_answers.mjs openapi.json answers.json
// answers.json: [{"method": "get", "path": "/api/problems/{id}", "status": 200, "body": {...}}, ...]
// Exit 0 when every answer is documented and valid; otherwise each problem on stderr and exit 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const Ajv = require('ajv');

const [documentFile, answersFile] = process.argv.slice(2);
const document = JSON.parse(readFileSync(documentFile, 'utf8'));
const answers = JSON.parse(readFileSync(answersFile, 'utf8'));

// OpenAPI 3.0's own keywords (nullable) are Ajv's; formats (date-time) are checked elsewhere.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openapi', components: document.components });
const pointed = (schema) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));

const problems = [];
for (const answer of answers) {
  const where = `${answer.method.toUpperCase()} ${answer.path} ${answer.status}`;
  const operation = (document.paths[answer.path] || {})[answer.method];
  if (!operation) {
    problems.push(`${where}: not in the document`);
    continue;
  }
  const response = operation.responses[String(answer.status)];
  if (!response) {
    problems.push(`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`);
    continue;
  }
  const schema = response.content && response.content['application/json'] && response.content['application/json'].schema;
  if (!schema) continue;  // a file answer: its bytes are the exports' tests' business
  const validate = ajv.compile(pointed(schema));
  if (!validate(answer.body)) {
    for (const error of validate.errors) {
      problems.push(`${where}: ${error.instancePath || '(the answer)'} ${error.message}` +
        (error.params && error.params.additionalProperty ? ` (${error.params.additionalProperty})` : ''));
    }
  }
}
if (problems.length) {
  console.error([...new Set(problems)].join('\n'));
  process.exit(1);
}
console.log(`valid: ${answers.length} answers`);
