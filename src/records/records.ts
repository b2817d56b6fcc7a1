/**
 * Copy as cURL and the exchange-log export: loaded the first time one of them is used, not at activation
 * (loadRecords.ts).
 */
export { curlCommand } from './curl';
export { defaultExportName, exportLog } from './exportLog';
