/**
 * What building the panel's page takes (its HTML, CSP and localized strings): loaded when the panel first
 * opens, not at activation (loadPage.ts).
 */
export { createNonce, panelHtml } from './html';
export { webviewStrings } from './strings';
