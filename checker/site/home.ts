// The home page: what you will build, how to begin, and the steps in order.
import type { Page } from './content.ts';
import { escape } from './layout.ts';

export function renderHome(pages: Page[]): string {
  const steps = pages.filter((page) => page.section === 'steps');
  const concepts = pages.filter((page) => page.section === 'concepts');
  const labs = pages.filter((page) => page.section === 'labs');
  const list = (members: Page[]) =>
    `<ul>${members.map((page) => `<li><a href="${page.path}">${escape(page.title)}</a>${page.description ? ` — ${escape(page.description)}` : ''}</li>`).join('')}</ul>`;
  const first = steps[0];
  return `<h1>Build a real-time chat</h1>
<p class="lead">You will write, step by step, a chat in TypeScript where every message reaches every open
tab at once, and learn on the way what WebSockets and Socket.IO really do. Each step has a lesson, the
files you edit, and a checker that runs your code for real and tells you what to do next.</p>
<h2 id="how-to-begin">How to begin</h2>
<ol>
  <li>Open the first lesson${first ? `: <a href="${first.path}">${escape(first.title)}</a>` : ''}.</li>
  <li>Edit the step's files in your editor: <code>steps/01-hello-express/index.ts</code> first. The TODOs say where.</li>
  <li>Run your code with <code>npm run step 1</code>; it restarts whenever you save.</li>
  <li>Check it with <code>npm run check 1</code>: it says what works, what does not, and which section to read.</li>
</ol>
<h2 id="the-steps">The steps</h2>
<ol class="step-list">${steps.map((page) => `<li><a href="${page.path}">${escape(page.title)}</a></li>`).join('')}</ol>
${concepts.length ? `<h2 id="concepts">Concepts</h2>${list(concepts)}` : ''}
${labs.length ? `<h2 id="labs">Labs</h2><p>Watch your own connection at work, byte by byte, while the site runs with <code>npm start</code>.</p>${list(labs)}` : ''}`;
}
