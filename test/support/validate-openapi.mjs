// Validates the OpenAPI document given on stdin with @seriousme/openapi-schema-validator (an ES
// module, which jest's CommonJS runtime cannot load): prints {"valid", "version", "errors"}.
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }));
