// `pnpm demo:data [--clients N] [--data-dir D] [--seed S]`: writes deterministic demo datasets and the registry
// into DATA_DIR (default <repo>/data). Same arguments, same bytes.
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SEED, generateDemoData, resolveDataDir } from '../src/index';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000000' },
    'data-dir': { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_DEMO_SEED) },
  },
});
const clients = Number(values.clients);
if (!Number.isInteger(clients) || clients < 1) {
  console.error(`--clients must be a positive whole number, got ${values.clients}`);
  process.exit(2);
}
// The entry point is the one place that reads the environment; the library takes the directory as a parameter.
const dataDir = resolveDataDir({ DATA_DIR: values['data-dir'] ?? process.env.DATA_DIR });
const summary = await generateDemoData({
  dataDir,
  clients,
  seed: Number(values.seed),
  onProgress: (message) => console.log(message),
});
console.log(
  `demo data for ${summary.clients.toLocaleString('en')} clients in ${dataDir} (${(summary.ms / 1000).toFixed(1)} s)`,
);
