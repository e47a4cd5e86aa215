// Runs every benchmark in bench/ (each prints its own table).
import { execFileSync } from 'node:child_process';

for (const script of ['bench/svm.mjs']) {
  console.log(`\n== ${script}`);
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
