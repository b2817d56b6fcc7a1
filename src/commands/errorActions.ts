/**
 * Which buttons an error notification offers, from the kind and code of the error. `vscode`-free
 * (unit-tested); the labels and what each button runs are in notify.ts.
 */
import type { ResultError } from '../onelogin/errors';

export type ErrorAction = 'setAccessToken' | 'setClientCredentials' | 'openSettings' | 'checkIds' | 'showPanel' | 'showLog';

/** The buttons an error notification offers (at most 3), most useful first. */
export function actionsFor(error: Pick<ResultError, 'kind' | 'code'>): ErrorAction[] {
  if (error.code === 'NO_CREDENTIALS') return ['setAccessToken', 'setClientCredentials'];
  if (error.code === 'INVALID_BASE_URL' || error.code === 'UNKNOWN_TENANT') return ['openSettings'];
  switch (error.kind) {
    case 'auth':
      return ['setAccessToken', 'setClientCredentials', 'showPanel'];
    case 'forbidden':
      return ['setClientCredentials', 'showPanel'];
    case 'notFound':
      return ['checkIds', 'showPanel'];
    case 'invalidInput':
      return ['checkIds'];
    case 'network':
    case 'timeout':
      return ['openSettings', 'showLog'];
    case 'rateLimited':
    case 'server':
    case 'invalidResponse':
      return ['showPanel', 'showLog'];
    case 'cancelled':
      return [];
  }
}
