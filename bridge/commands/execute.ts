// Runs a validated command, key by key in the table's order, and says how it went.
import type { Command } from './parse.js';
import { COMMANDS, type CommandContext } from './table.js';

export async function execute(command: Command, ctx: CommandContext): Promise<void> {
  for (const def of COMMANDS) {
    if (!(def.key in command)) continue;
    try {
      await def.run(command[def.key], ctx);
    } catch (err) {
      throw new Error(`${def.key}: ${(err as Error).message}`);
    }
  }
}
