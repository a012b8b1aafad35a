// Step 01: a web server that says hello.
// Read steps/01-hello-express/README.md, then replace each TODO below.
// Run it with `npm run step 1`, check it with `npm run check 1`.

// TODO 1: import `express` from 'express' and `createServer` from 'node:http'.

const port = Number(process.env.PORT) || 3000;

// TODO 2: create an Express app, and an HTTP server that hands every request to it.

// TODO 3: answer GET / with the HTML `<h1>Hello world</h1>`.

// TODO 4: make the server listen on `port`, and log `server running at http://localhost:${port}`
//         once it is listening.
console.log(`No server is listening on port ${port} yet: follow the TODOs in steps/01-hello-express/index.ts.`);
