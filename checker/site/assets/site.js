// The site's script: the theme switch, the copy buttons on code, and search. No framework.
const root = document.documentElement;

document.querySelector('.theme-toggle')?.addEventListener('click', () => {
  const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
  root.dataset.theme = next;
  localStorage.setItem('theme', next);
});

for (const block of document.querySelectorAll('pre.shiki')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', 'Copy this code');
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(block.querySelector('code')?.textContent ?? '');
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
  block.append(button);
}

// Search: the box in the header. "/" jumps to it; arrows move through the hits; Escape leaves.
const searchBox = document.getElementById('search-input');
const hitList = document.getElementById('search-results');
const searchStatus = document.getElementById('search-status');
let searchModule;

function showHits(hits, query) {
  hitList.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = hit.id;
      const where = document.createElement('span');
      where.className = 'hit-where';
      where.textContent = hit.heading ? `${hit.page} › ${hit.heading}` : hit.page;
      const excerpt = document.createElement('span');
      excerpt.className = 'hit-excerpt';
      excerpt.textContent = hit.excerpt;
      link.append(where, excerpt);
      item.append(link);
      return item;
    }),
  );
  hitList.hidden = query === '';
  searchStatus.textContent = query === '' ? '' : hits.length === 0 ? `Nothing found for “${query}”.` : `${hits.length} result${hits.length === 1 ? '' : 's'}.`;
  if (query !== '' && hits.length === 0) {
    const item = document.createElement('li');
    item.className = 'no-hit';
    item.textContent = `Nothing found for “${query}”. Try fewer or shorter words.`;
    hitList.append(item);
  }
}

searchBox?.addEventListener('focus', () => {
  searchModule ??= import('/assets/search.js');
}, { once: true });

searchBox?.addEventListener('input', async () => {
  const query = searchBox.value.trim();
  const { find } = await (searchModule ??= import('/assets/search.js'));
  // Answers may come back out of order while the index loads: keep only the latest.
  if (query === searchBox.value.trim()) showHits(query ? find(query) : [], query);
});

document.addEventListener('keydown', (event) => {
  const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable]');
  if (event.key === '/' && !typing && searchBox) {
    event.preventDefault();
    searchBox.focus();
    return;
  }
  if (!hitList || hitList.hidden) return;
  const links = [...hitList.querySelectorAll('a')];
  const current = links.indexOf(document.activeElement);
  if (event.key === 'Escape') {
    hitList.hidden = true;
    searchBox.focus();
  } else if (event.key === 'ArrowDown' && (event.target === searchBox || current >= 0)) {
    event.preventDefault();
    links[Math.min(current + 1, links.length - 1)]?.focus();
  } else if (event.key === 'ArrowUp' && current >= 0) {
    event.preventDefault();
    (current === 0 ? searchBox : links[current - 1]).focus();
  }
});

document.addEventListener('click', (event) => {
  if (hitList && !event.target.closest?.('.search')) hitList.hidden = true;
});

// Live progress, on every page but the labs (which keep their own connections): when the site
// runs from `npm start`. The static copy in dist/ has no server, and shows none.
if (!document.querySelector('section.lab')) import('/assets/live-progress.js').catch(() => {});
