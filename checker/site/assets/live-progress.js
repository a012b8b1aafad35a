// The learner's progress, live: marks each step in the menus as passing, failing or changed since
// its check, and lists the checks of the step whose lesson is open. The server sends the whole
// state again after every check in the terminal, so nothing here needs a reload.
const { io } = await import('/live/socket.io/socket.io.esm.min.js');

const stateText = {
  passed: 'passes',
  failed: 'does not pass yet',
  'did-not-start': 'did not start',
  stale: 'changed since its last check',
  unchecked: 'not checked yet',
  damaged: 'not checked yet',
};
const stateMark = { passed: '✓', failed: '✗', 'did-not-start': '✗', stale: '•', unchecked: '', damaged: '' };
const checkMark = { passed: '✓', failed: '✗', skipped: '–', 'not-run': '○' };

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A mark after every link to a step's lesson: in the course menu and on the home page. */
function markStepLinks(steps) {
  for (const status of steps) {
    for (const link of document.querySelectorAll(`a[href="/steps/${status.step}/"]`)) {
      if (link.closest('.pager, article .progress-panel')) continue;
      let mark = link.querySelector('.step-state');
      if (!stateMark[status.state]) {
        mark?.remove();
        continue;
      }
      if (!mark) {
        mark = element('span', { class: 'step-state' });
        link.append(mark);
      }
      mark.dataset.state = status.state;
      mark.replaceChildren(
        element('span', { 'aria-hidden': 'true' }, stateMark[status.state]),
        element('span', { class: 'visually-hidden' }, ` (${stateText[status.state]})`),
      );
    }
  }
}

/** The panel under a lesson's title: this step's checks as the last `npm run check` saw them. */
function showLessonProgress(status) {
  const article = document.querySelector('article');
  let panel = article.querySelector('.progress-panel');
  if (!panel) {
    panel = element('section', { class: 'progress-panel', 'aria-labelledby': 'progress-title', 'aria-live': 'polite' });
    article.querySelector('h1')?.after(panel);
  }
  panel.dataset.state = status.state;
  const command = element('code', {}, `npm run check ${status.number}`);
  const passedCount = status.checks.filter((check) => check.state === 'passed').length;
  const summary = {
    unchecked: ['Not checked yet: run ', command, ' when you are ready.'],
    damaged: ['Not checked yet: run ', command, ' when you are ready.'],
    'did-not-start': ['Your code did not start at the last check. Fix what ', command, ' says, then run it again.'],
    passed: [`All ${status.checks.length} checks pass.`],
    failed: [`${passedCount} of ${status.checks.length} checks pass. Run `, command, ' for what to do next.'],
    stale: [`Your files changed since the last check${status.passedBefore ? ', which passed' : ''}: run `, command, ' again.'],
  }[status.state];
  const children = [element('p', { class: 'progress-title', id: 'progress-title' }, 'Your progress'), element('p', {}, ...summary)];
  if (status.checks.length > 0) {
    children.push(
      element(
        'ul',
        { class: 'progress-checks' },
        ...status.checks.map((check) =>
          element(
            'li',
            { 'data-state': check.state },
            element('span', { class: 'check-mark', 'aria-hidden': 'true' }, checkMark[check.state] ?? '○'),
            element('span', { class: 'visually-hidden' }, `${check.state === 'not-run' ? 'not run' : check.state}: `),
            check.title,
          ),
        ),
      ),
    );
  }
  panel.replaceChildren(...children);
}

const socket = io({ path: '/live/socket.io/' });
socket.on('progress', (steps) => {
  markStepLinks(steps);
  const current = document.body.dataset.step;
  const status = current && steps.find((each) => each.step === current);
  if (status) showLessonProgress(status);
});
