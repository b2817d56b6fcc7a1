/** The ids of the commands package.json contributes: the status bar, the sidebar and the panel run them by id. */
export const COMMAND = {
  setAccessToken: 'onelogin-mfa.setAccessToken',
  setClientCredentials: 'onelogin-mfa.setClientCredentials',
  clearCredentials: 'onelogin-mfa.clearCredentials',
  checkVerification: 'onelogin-mfa.checkVerification',
  pollVerification: 'onelogin-mfa.pollVerification',
  stopPolling: 'onelogin-mfa.stopPolling',
  showPanel: 'onelogin-mfa.showPanel',
  showLog: 'onelogin-mfa.showLog',
  triggerVerification: 'onelogin-mfa.triggerVerification',
  verifyOtp: 'onelogin-mfa.verifyOtp',
  listDevices: 'onelogin-mfa.listDevices',
  exportLog: 'onelogin-mfa.exportLog',
  clearHistory: 'onelogin-mfa.clearHistory',
  switchTenant: 'onelogin-mfa.switchTenant',
  startDemo: 'onelogin-mfa.startDemo',
  stopDemo: 'onelogin-mfa.stopDemo',
} as const;
