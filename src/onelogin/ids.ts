/**
 * OneLogin ids are opaque strings: the docs call them integers, the examples show UUIDs and digit
 * strings. We accept letters, digits, '-', '_' and '.', which covers both and keeps ids from
 * changing the shape of the URL path ('/', '..', '?', '#' and spaces are refused). Callers still
 * URL-encode the result.
 */
import { OneLoginError } from './errors';

const ID_PATTERN = /^[A-Za-z0-9._-]+$/;
export const MAX_ID_LENGTH = 128;

function validateId(label: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new OneLoginError('invalidInput', `The ${label} is empty. Enter the ${label} as OneLogin shows it (digits or a UUID).`, { code: 'INVALID_ID' });
  }
  const id = text.trim();
  if (id.length > MAX_ID_LENGTH) {
    throw new OneLoginError('invalidInput', `The ${label} is ${id.length} characters long; OneLogin ids are at most ${MAX_ID_LENGTH}.`, { code: 'INVALID_ID' });
  }
  if (!ID_PATTERN.test(id) || /^\.+$/.test(id)) {
    const shown = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
    throw new OneLoginError(
      'invalidInput',
      `The ${label} ${shown} is not a OneLogin id: use only letters, digits, '-', '_' or '.' (for example 3919988 or 406fefd4-8a36-4aee-880c-f3e4a928e27d).`,
      { code: 'INVALID_ID' },
    );
  }
  return id;
}

export const validateUserId = (v: unknown): string => validateId('user id', v);
export const validateVerificationId = (v: unknown): string => validateId('verification id', v);
export const validateDeviceId = (v: unknown): string => validateId('device id', v);

/** Returns a message for an input box's validateInput, or undefined when valid. */
export function idProblem(validate: (v: unknown) => string, value: string): string | undefined {
  try {
    validate(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
