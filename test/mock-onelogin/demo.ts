// `npm start`: the simulator with the demo data (same as `cli.js --demo`; extra flags pass through).

import { main } from './cli';

export { seedDemo, DEMO_SEED, type DemoSeed } from './seed';

if (require.main === module) main(['--demo', ...process.argv.slice(2)]);
