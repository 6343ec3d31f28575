// svelte-check over this app. Importing the API's router types makes TypeScript check the API's and db's source
// files too, under this app's settings (the DOM library among them), where a few Node-only typings can clash. Those
// files are type-checked by their own packages' `typecheck`; here they are listed but only this app's own
// problems fail the check.
import { spawnSync } from 'node:child_process';

const run = spawnSync(
  'svelte-check',
  ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'machine'],
  { encoding: 'utf8', shell: false },
);
if (run.error) throw run.error;
let own = 0;
let foreign = 0;
for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
  const match = /^\d+ (ERROR|WARNING) "([^"]+)" (\d+:\d+) "(.*)"$/.exec(line);
  if (!match) continue;
  const [, level, file, position, message] = match;
  const text = JSON.parse(`"${message}"`);
  if (file.startsWith('../')) {
    foreign++;
    console.log(`(other package) ${level} ${file}:${position}\n  ${text.split('\n')[0]}`);
  } else {
    own++;
    console.log(`${level} ${file}:${position}\n  ${text.replaceAll('\n', '\n  ')}`);
  }
}
const summary = /COMPLETED (\d+) FILES/.exec(run.stdout)?.[1] ?? '?';
console.log(`svelte-check: ${summary} files, ${own} problems in this app, ${foreign} in other packages`);
process.exit(own > 0 || !/COMPLETED/.test(run.stdout) ? 1 : 0);
