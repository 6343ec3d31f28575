// The CLI's password input: typed at a hidden prompt (twice) on a terminal, or read from stdin when piped
// (`printf '%s\n' "$PW" | pnpm cli user add ...`). Never an argument: argv is visible to every user in `ps` and
// stays in shell history.
import { createInterface } from 'node:readline';

/** The first line of a piped stdin, without its line ending. */
async function firstLineOf(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** One line typed without echo. */
function hiddenLine(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      // The question is written once; every keystroke after it is swallowed.
      if (!asked) process.stderr.write(s);
      asked = true;
    };
    rl.question(question, (answer) => {
      process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
  });
}

export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return firstLineOf(process.stdin);
  const first = await hiddenLine('Password: ');
  const again = await hiddenLine('Repeat it: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
}
