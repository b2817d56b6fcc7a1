/** The shells Copy as cURL writes for (tiny and separate: the panel's commands need it at activation). */
export type CurlShell = 'posix' | 'powershell' | 'cmd';
export const CURL_SHELLS: readonly CurlShell[] = ['posix', 'powershell', 'cmd'];
