// Runs every benchmark in bench/ (each prints its own tables). Arguments are
// passed on, e.g. `npm run bench -- --cached` to reuse the peers' last results.
import { execFileSync } from 'node:child_process';

for (const script of ['bench/svm.mjs', 'bench/bo_speed.mjs', 'bench/bo_quality.mjs', 'bench/ga_throughput.mjs', 'bench/ga_quality.mjs']) {
  console.log(`\n== ${script}`);
  execFileSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
}
