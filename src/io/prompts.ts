import { input } from '@inquirer/prompts';
import { UserError } from '../errors.js';

/** Asks for a value on a TTY; Ctrl-C ends the command cleanly instead of with a stack trace. */
export async function askText(message: string, defaultValue?: string): Promise<string> {
  try {
    return (await input({ message, default: defaultValue })).trim();
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new UserError('cancelled');
    throw error;
  }
}
