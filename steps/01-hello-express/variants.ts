// Step 01 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

const listen = "server.listen(port, () => {";

export const variants: StepVariants = {
  cases: [
    { name: 'app.listen instead of createServer', edits: { 'index.ts': [['const server = createServer(app);\n', ''], [listen, 'app.listen(port, () => {']] } },
    { name: 'a cheerier heading, and PORT read with ?? and parseInt', edits: { 'index.ts': [['Number(process.env.PORT) || 3000', "parseInt(process.env.PORT ?? '3000', 10)"], ['<h1>Hello world</h1>', '<h1>Hello, World!</h1>']] } },
    { name: 'a hard-coded port 3000', edits: { 'index.ts': [['server.listen(port,', 'server.listen(3000,']] }, fails: /the checker started it with PORT=3917\)\n.*it asked for port 3000: read PORT first, with const port/, caughtBy: ['port-from-env'] },
    {
      name: 'a type error, which is reported but does not fail the step',
      edits: { 'index.ts': [['const port = Number(process.env.PORT) || 3000;', 'const port: string = Number(process.env.PORT) || 3000;']] },
      says: /TypeScript found a type error\..*\n.*checker\/test\/tmp-[^/]+\/index\.ts:\d+:7  Type 'number' is not assignable to type 'string'\./,
    },
    { name: 'no heading', edits: { 'index.ts': [['<h1>Hello world</h1>', 'Hello world']] }, fails: /the page to be <h1>Hello world<\/h1>/, caughtBy: ['hello-heading'] },
    { name: 'a route that never answers', edits: { 'index.ts': [["res.send('<h1>Hello world</h1>');", '']] }, fails: /your server did not answer within 5 s/, caughtBy: ['hello-heading'] },
    { name: 'no log line', edits: { 'index.ts': [[/console\.log\(.*\);/, '']] }, fails: /a log line with the address/, caughtBy: ['logs-url'] },
  ],
  survivors: [
    { file: 'index.ts', code: "'/'", mutant: '""', why: "Express matches the empty path as '/': the same route, nothing a learner could see" },
  ],
};
