// Where each setting came from (a line of the YAML file, an environment variable, a flag), so a
// problem is reported against what the user has to edit, and YAML syntax errors as a code frame.
import { CST, isMap, isScalar, LineCounter, Parser, parseDocument, type Document } from 'yaml';

type Path = PropertyKey[];
const key = (path: Path) => path.map(String).join('.');

export class YamlFile {
  readonly #lines = new LineCounter();
  readonly #doc: Document;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.#doc = parseDocument(text, { lineCounter: this.#lines });
  }

  /** The syntax error to fix first, with its line shown; null when the file parses. */
  syntaxError(): string | null {
    const first = this.#doc.errors[0];
    if (!first) return null;
    // an unclosed quote or bracket is reported where the parser gives up, often lines later
    const unclosed = findUnclosed(this.text);
    const [offset, what] = unclosed ?? [first.pos[0], first.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')];
    const { line, col } = this.#lines.linePos(offset);
    return `${this.path} line ${line}, column ${col}: ${what}\n${frame(this.text, line, col)}`;
  }

  data(): unknown {
    return this.#doc.toJS();
  }

  /** The line of the deepest key of `path` that the file has. */
  line(path: Path): number {
    let node = this.#doc.contents;
    let offset = node?.range?.[0] ?? 0;
    for (const k of path) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(k));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = pair.value as typeof node;
    }
    return this.#lines.linePos(offset).line;
  }
}

/** `    3 |   url: "x` and a caret under the column. */
function frame(text: string, line: number, col: number): string {
  const src = (text.split(/\r?\n/)[line - 1] ?? '').replace(/\t/g, '→');
  const n = String(line);
  return `    ${n} | ${src}\n    ${' '.repeat(n.length)} | ${' '.repeat(col - 1)}^`;
}

/** The innermost quote or bracket that is opened and never closed: [offset, what to say]. */
function findUnclosed(text: string): [number, string] | null {
  let found: [number, string] | null = null;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      for (const n of [item.key, item.value]) {
        if (!n || (found && found[0] > n.offset)) continue;
        if (n.type === 'flow-collection' && !n.end.some((e) => e.source === (n.start.source === '[' ? ']' : '}')))
          found = [n.start.offset, `this ${n.start.source} is never closed (with ${n.start.source === '[' ? ']' : '}'})`];
        if (n.type === 'double-quoted-scalar' || n.type === 'single-quoted-scalar') {
          const q = n.source[0]!;
          if (n.source.length < 2 || !n.source.trimEnd().endsWith(q)) found = [n.offset, `this ${q} is never closed`];
        }
      }
    });
  }
  return found;
}

/** Settings given outside the file: config path → where ("environment variable X", "flag --x"). */
export class Origins {
  readonly #given = new Map<string, string>();

  constructor(readonly file?: YamlFile) {}

  add(path: string[], where: string): void {
    this.#given.set(key(path), where);
  }

  /** Where the value at `path` came from: the last source that set it or a key above it; null for
   * a config given as an object. */
  where(path: Path): string | null {
    for (let n = path.length; n > 0; n--) {
      const w = this.#given.get(key(path.slice(0, n)));
      if (w) return w;
    }
    return this.file ? `${this.file.path} line ${this.file.line(path)}` : null;
  }
}
