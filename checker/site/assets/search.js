// Search across every page, in the browser: the index (built by the server, one entry per section)
// and MiniSearch are fetched on first use, so a page that is only read costs nothing more.
const { default: MiniSearch } = await import('/assets/vendor/minisearch.js');
const response = await fetch('/search-index.json');
const { options, index } = await response.json();
const search = MiniSearch.loadJSON(JSON.stringify(index), options);

const maxHits = 8;

/** The sections that match `query`, best first. */
export function find(query) {
  return search
    .search(query, { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { heading: 2, page: 1.5 } })
    .slice(0, maxHits);
}
