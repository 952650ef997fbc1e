/**
 * Splits a long mrkdwn answer into section-sized pieces (Slack: ≤ 3000 characters of section text)
 * without breaking formatting: cuts fall on line boundaries where possible, never inside a `<…>`
 * link or mention or a surrogate pair, and a code fence open at a cut is closed at the end of one
 * piece and reopened at the start of the next, so every piece renders on its own.
 */
export function splitMrkdwn(text: string, max = 3000): string[] {
  if (max < 16) throw new RangeError('max must leave room for code fences');
  const FENCE = '```';
  const pieces: string[] = [];
  let current = '';
  let inFence = false;

  const flush = () => {
    if (current.trim() === '' || current === FENCE) {
      current = '';
      return;
    }
    pieces.push(inFence ? `${current}\n${FENCE}` : current);
    current = inFence ? FENCE : '';
  };

  for (const line of text.split('\n')) {
    // Room left for a closing fence if this piece ends inside a code block.
    const reserve = FENCE.length + 1;
    for (const part of hardSplit(line, max - reserve - FENCE.length - 1)) {
      const candidate = current === '' ? part : `${current}\n${part}`;
      const togglesFence = part.trimStart().startsWith(FENCE);
      const fenceAfter = togglesFence ? !inFence : inFence;
      if (candidate.length + (fenceAfter ? reserve : 0) <= max) {
        current = candidate;
      } else {
        flush();
        current = current === '' ? part : `${current}\n${part}`;
      }
      if (togglesFence) inFence = !inFence;
    }
  }
  if (current.trim() !== '' && current !== FENCE) pieces.push(inFence ? `${current}\n${FENCE}` : current);
  return pieces;
}

/** Cuts one over-long line at whitespace (or anywhere, as a last resort) outside `<…>`. */
function hardSplit(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Do not cut inside a link or mention: move the cut before its `<`.
    const open = rest.lastIndexOf('<', cut);
    const close = rest.lastIndexOf('>', cut);
    if (open > close && open > 0) cut = open;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/** Groups items into messages of at most `perMessage`, the first holding at most `firstMax`. */
export function paginate<T>(items: readonly T[], perMessage: number, firstMax = perMessage): T[][] {
  const pages: T[][] = [];
  let index = 0;
  let size = Math.max(1, firstMax);
  while (index < items.length) {
    pages.push(items.slice(index, index + size));
    index += size;
    size = perMessage;
  }
  return pages.length > 0 ? pages : [[]];
}
