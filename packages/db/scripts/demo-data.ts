// `pnpm demo:data [--clients N] [--data-dir D] [--seed S] [--layout sorted|export]`: writes deterministic demo datasets and the registry
// into DATA_DIR (default <repo>/data). Same arguments, same bytes.
import { parseArgs } from 'node:util';
import {
  DEFAULT_DEMO_SEED,
  DEMO_LAYOUTS,
  type DemoLayout,
  generateDemoData,
  resolveDataDir,
} from '../src/index';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000000' },
    'data-dir': { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_DEMO_SEED) },
    layout: { type: 'string', default: 'sorted' },
  },
});
const clients = Number(values.clients);
if (!Number.isInteger(clients) || clients < 1) {
  console.error(`--clients must be a positive whole number, got ${values.clients}`);
  process.exit(2);
}
const layout = values.layout as DemoLayout;
if (!DEMO_LAYOUTS.includes(layout)) {
  console.error(`--layout must be one of ${DEMO_LAYOUTS.join(', ')}, got ${values.layout}`);
  process.exit(2);
}
// The entry point is the one place that reads the environment; the library takes the directory as a parameter.
const dataDir = resolveDataDir({ DATA_DIR: values['data-dir'] ?? process.env.DATA_DIR });
const summary = await generateDemoData({
  dataDir,
  clients,
  seed: Number(values.seed),
  layout,
  onProgress: (message) => console.log(message),
});
console.log(
  `demo data (${layout} layout) for ${summary.clients.toLocaleString('en')} clients in ${dataDir} (${(summary.ms / 1000).toFixed(1)} s)`,
);
