// Helper of check_functions.py: reads {name: [[x...], ...]} as JSON on stdin,
// writes {name: [f(x), ...]} as JSON on stdout, using bench/functions.mjs.
import { FUNCTIONS } from '../functions.mjs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const points = JSON.parse(input);
const out = {};
for (const [name, xs] of Object.entries(points)) out[name] = xs.map((x) => FUNCTIONS[name].f(x));
// JSON numbers round-trip doubles exactly in both directions (shortest repr).
process.stdout.write(JSON.stringify(out));
