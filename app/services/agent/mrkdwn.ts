import { Lexer, type Token, type Tokens } from 'marked';
import { escapeMrkdwn } from '../../domain/text';

/**
 * Markdown (what the model writes) → Slack mrkdwn (what a section block renders).
 *
 * Walks marked's lexer tokens instead of rewriting with regexes, so emphasis inside links, code that
 * contains asterisks, nested lists and tables are each handled where they occur. Slack's dialect:
 * `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ``` ```` blocks (no language), `<url|label>`
 * links, no headings (→ bold lines), no tables (→ a monospace grid when narrow, else one bullet per
 * row). Text is escaped with the app's one function (`escapeMrkdwn`: `&`, `<`, `>`, bidi controls
 * stripped). What the model may still write as Slack markup:
 * - a user or channel mention (`<@U…>`, `<#C…>`) typed literally. Never one that only appears once
 *   HTML entities are decoded: data handed to the model is escaped (`&lt;@U…&gt;`), so a name it
 *   quotes stays text. Group and broadcast pings (`<!subteam^…>`, `<!channel>`, `<!here>`,
 *   `<!everyone>`) are always escaped: an answer never notifies a group.
 * - a link with its own label only to a URL in `options.linkUrls` (the sources it cited, the URLs our
 *   own answer put there). Any other labelled link is shown as `label (<url>)`, so a label can never
 *   hide where a link goes; a bare URL stays a link showing itself.
 */
export function markdownToMrkdwn(markdown: string, options: MrkdwnOptions = {}): string {
  const tokens = Lexer.lex(slackLinksToMarkdown(markdown), { gfm: true });
  const links = new Set([...(options.linkUrls ?? [])].map((url) => url.trim()));
  return renderBlocks(tokens, 0, links)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface MrkdwnOptions {
  /** URLs that may be links with their own label: the turn's citations and URLs from our own data. */
  linkUrls?: Iterable<string>;
}

/** URLs whose links keep their own label (`MrkdwnOptions.linkUrls`, trimmed). */
type LinkUrls = ReadonlySet<string>;

/**
 * A model that knows it talks to Slack may write Slack's own link syntax (`<https://x|the brief>`),
 * which Markdown reads as text: rewrite it as a Markdown link first (outside code), so it stays a
 * link and its URL still passes `safeUrl`.
 */
function slackLinksToMarkdown(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(
            // Not after a backslash: `\<https://x\|y\>` is Markdown-escaped text (the offline agent's
            // names), not a link.
            /(?<!\\)<((?:https?:\/\/|mailto:)[^\s|<>\\]+)\|([^<>\n\\]+)>/gi,
            (_match, url: string, label: string) => `[${label.replace(/([[\]\\])/g, '\\$1')}](<${url}>)`,
          ),
    )
    .join('');
}

/** Widest table rendered as a monospace grid; wider ones become bullet rows (a grid would wrap). */
const MAX_GRID_WIDTH = 72;
const ENTITY_SOURCE = '<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+(?:\\|[^<>|&]*)?)>';
const SLACK_ENTITY = new RegExp(`^${ENTITY_SOURCE}$`);
const SLACK_ENTITIES = new RegExp(ENTITY_SOURCE, 'g');

/** Code is shown as written: escaped, never decoded. */
const escapeCode = escapeMrkdwn;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * Markdown prose may carry HTML entities (`AT&amp;T`, `&lt;`); they mean the character, so they are
 * decoded before Slack's own escaping (otherwise Slack would show `&amp;amp;` literally).
 */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/**
 * Escapes prose, keeping the user and channel mentions the model typed as Slack entities. Entities
 * are found before HTML entities are decoded, so `&lt;@U…&gt;` (an escaped name quoted back) is
 * decoded to text and escaped again, never turned into a mention.
 */
function escapeText(raw: string): string {
  let out = '';
  let last = 0;
  for (const match of raw.matchAll(SLACK_ENTITIES)) {
    out += escapeCode(decodeEntities(raw.slice(last, match.index))) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeCode(decodeEntities(raw.slice(last)));
}

/** A URL safe to put between `<` and `|`: only web and mail links; the delimiters percent-encoded. */
function safeUrl(href: string): string | undefined {
  const trimmed = href.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return undefined;
  return trimmed.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/\s/g, '%20');
}

function renderBlocks(tokens: readonly Token[], depth: number, links: LinkUrls): string {
  const parts: string[] = [];
  for (const token of tokens) {
    const rendered = renderBlock(token, depth, links);
    if (rendered !== undefined && rendered !== '') parts.push(rendered);
  }
  return parts.join('\n\n');
}

function renderBlock(token: Token, depth: number, links: LinkUrls): string | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'paragraph':
      return renderInline((token as Tokens.Paragraph).tokens, { bold: false, links });
    case 'heading':
      return `*${renderInline((token as Tokens.Heading).tokens, { bold: true, links })}*`;
    case 'code':
      return codeBlock((token as Tokens.Code).text);
    case 'blockquote': {
      const inner = renderBlocks((token as Tokens.Blockquote).tokens, depth, links);
      return inner
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    }
    case 'list':
      return renderList(token as Tokens.List, depth, links);
    case 'table':
      return renderTable(token as Tokens.Table);
    case 'hr':
      return '───────────';
    case 'html':
      return escapeText((token as Tokens.HTML).text.trim());
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens, { bold: false, links }) : escapeText(text.text);
    }
    default:
      return 'tokens' in token && Array.isArray(token.tokens)
        ? renderInline(token.tokens, { bold: false, links })
        : escapeText(token.raw);
  }
}

function codeBlock(text: string): string {
  // A fence inside the code would end Slack's block early; a zero-width joiner keeps it visible but inert.
  return `\`\`\`\n${escapeCode(text.replace(/```/g, '`\u200d``'))}\n\`\`\``;
}

function renderList(list: Tokens.List, depth: number, links: LinkUrls): string {
  const indent = '    '.repeat(depth);
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, index) => {
      const marker = list.ordered ? `${start + index}.` : depth % 2 === 0 ? '•' : '◦';
      const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const lines: string[] = [];
      const nested: string[] = [];
      for (const child of item.tokens) {
        if (child.type === 'checkbox') continue;
        if (child.type === 'list') nested.push(renderList(child as Tokens.List, depth + 1, links));
        else {
          const rendered = renderBlock(child, depth + 1, links);
          if (rendered) lines.push(rendered);
        }
      }
      const body = lines.join('\n').replace(/\n/g, `\n${indent}  `);
      return [`${indent}${marker} ${box}${body}`, ...nested].join('\n');
    })
    .join('\n');
}

function plainInline(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'codespan' || token.type === 'escape' || token.type === 'html') {
        return (token as Tokens.Codespan).text;
      }
      if (token.type === 'br') return ' ';
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0)
        return plainInline(token.tokens);
      return decodeEntities('text' in token && typeof token.text === 'string' ? token.text : token.raw);
    })
    .join('');
}

function renderTable(table: Tokens.Table): string {
  const header = table.header.map((cell) => plainInline(cell.tokens).trim());
  const rows = table.rows.map((row) => row.map((cell) => plainInline(cell.tokens).trim()));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const gridWidth = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, widths.length - 1);
  if (gridWidth <= MAX_GRID_WIDTH) {
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => {
          const width = widths[i] ?? cell.length;
          return table.align[i] === 'right' ? cell.padStart(width) : cell.padEnd(width);
        })
        .join(' | ')
        .trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
    return codeBlock([line(header), rule, ...rows.map(line)].join('\n'));
  }
  // Too wide for a grid: one bullet per row, "Header: value" pairs, the first column in bold.
  return rows
    .map((row) => {
      const [first, ...rest] = row;
      const pairs = rest.map((cell, i) => `${escapeText(header[i + 1] ?? '')}: ${escapeText(cell)}`);
      return `• *${escapeText(first ?? '')}*${pairs.length > 0 ? ` — ${pairs.join(' · ')}` : ''}`;
    })
    .join('\n');
}

interface InlineContext {
  /** Already inside bold (a heading or `**…**`): nested bold markers would close it early. */
  bold: boolean;
  links: LinkUrls;
}

function renderInline(tokens: readonly Token[], ctx: InlineContext): string {
  return tokens.map((token) => renderInlineToken(token, ctx)).join('');
}

function renderInlineToken(token: Token, ctx: InlineContext): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens && text.tokens.length > 0 ? renderInline(text.tokens, ctx) : escapeText(text.text);
    }
    case 'escape':
      return escapeText((token as Tokens.Escape).text);
    case 'strong': {
      const inner = renderInline((token as Tokens.Strong).tokens, { ...ctx, bold: true });
      return ctx.bold ? inner : `*${inner}*`;
    }
    case 'em':
      return `_${renderInline((token as Tokens.Em).tokens, ctx)}_`;
    case 'del':
      return `~${renderInline((token as Tokens.Del).tokens, ctx)}~`;
    case 'codespan':
      return `\`${escapeCode((token as Tokens.Codespan).text.replace(/`/g, "'"))}\``;
    case 'br':
      return '\n';
    case 'checkbox':
      // The list item already shows ☑/☐ for task items.
      return '';
    case 'link':
    case 'image': {
      const link = token as Tokens.Link | Tokens.Image;
      const url = safeUrl(link.href);
      const label = plainInline(link.tokens ?? []).trim() || link.text;
      if (!url) return escapeText(label);
      if (label === link.href || label === '') return `<${url}>`;
      // A label may hide where a link goes: only URLs we know (cited, our data) keep theirs.
      if (!ctx.links.has(link.href.trim())) return `${escapeText(label)} (<${url}>)`;
      return `<${url}|${escapeText(label).replace(/\|/g, '¦')}>`;
    }
    case 'html': {
      const raw = (token as Tokens.HTML).text;
      return SLACK_ENTITY.test(raw) ? raw : escapeText(raw);
    }
    default:
      return 'tokens' in token && Array.isArray(token.tokens)
        ? renderInline(token.tokens, ctx)
        : escapeText(token.raw);
  }
}
