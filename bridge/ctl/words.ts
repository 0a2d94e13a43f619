// ctl's command words, derived from the command table: a key is a word with - for _
// (play_uri → play-uri), and each action is a word of its own (ctl next).
import { ACTIONS, COMMANDS, type CommandDef } from '../commands/table.js';

export interface Word {
  word: string;
  def: CommandDef;
  /** the value an action word sends; absent: the word takes the value from the command line */
  fixed?: string;
}

const dashed = (s: string) => s.replace(/_/g, '-');
const action = COMMANDS.find((c) => c.key === 'action')!;

export const WORDS: Word[] = [
  ...COMMANDS.filter((c) => c !== action).map((def) => ({ word: dashed(def.key), def })),
  ...ACTIONS.map((a) => ({ word: dashed(a), def: action, fixed: a })),
];

export const findWord = (word: string) => WORDS.find((w) => w.word === word);
