/**
 * Child process of bench/catalog.ts: the load generator, apart from the server so the two
 * do not share an event loop. Runs autocannon against one origin, cycling through the given
 * paths (records pages at different offsets), and prints one `CATALOG_LOAD {json}` line.
 * Argument: JSON `LoadArgs`.
 */
export interface LoadArgs {
  origin: string;
  paths: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mbPerSec: number;
}

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '') as LoadArgs;
  // autocannon ships no type definitions.
  const autocannon = require('autocannon') as Autocannon; // eslint-disable-line @typescript-eslint/no-require-imports
  let next = 0;
  const result = await autocannon({
    url: args.origin,
    connections: args.connections,
    duration: args.seconds,
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: args.paths[next++ % args.paths.length] }) }],
  });
  const out: LoadResult = {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mbPerSec: result.throughput.average / 1e6,
  };
  console.log('CATALOG_LOAD ' + JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
