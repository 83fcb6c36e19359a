import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { UserError } from '../errors.js';

/** Ctrl-C at a prompt ends the command cleanly instead of with a stack trace. */
async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new UserError('cancelled');
    throw error;
  }
}

/** Asks for a value on a TTY. */
export async function askText(message: string, defaultValue?: string): Promise<string> {
  return (await cancellable(() => input({ message, default: defaultValue }))).trim();
}

export async function askConfirm(message: string, defaultValue: boolean): Promise<boolean> {
  return cancellable(() => confirm({ message, default: defaultValue }));
}

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export async function askSelect<T>(message: string, choices: Choice<T>[]): Promise<T> {
  return cancellable(() => select<T>({ message, choices }));
}

/** Several of many: the user ticks what to take. */
export async function askCheckbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
  return cancellable(() => checkbox<T>({ message, choices, pageSize: 20 }));
}
