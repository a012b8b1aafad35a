// `node --import ./checker/loader/register.js file.ts` runs a TypeScript file (see typescript-hooks.js).
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./typescript-hooks.js', import.meta.url);
