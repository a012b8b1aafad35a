// A heading's id on the site, also used by the checker to link a lesson's section: one function,
// so that the two never disagree. No dependencies: the checker loads it on every run.

/** A readable heading id: "Step 03 · Connect with Socket.IO" → "step-03-connect-with-socketio". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}

