/** The `datasets` namespace: bundled data sets and a CSV loader. */
export { loadIris, loadWine, loadBreastCancer, loadDigits, loadCsv } from './datasets.js';
