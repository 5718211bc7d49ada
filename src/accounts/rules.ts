import { AppError } from '../errors.js';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;

/** A new account's credentials, held to the rules the forms state. */
export function checkNewCredentials(input: { username: string; password: string }): { username: string } {
  const username = input.username.trim();
  if (!USERNAME_PATTERN.test(username)) {
    throw new AppError('validation_failed', 'accounts.rules.usernameError', { min: USERNAME_MIN, max: USERNAME_MAX });
  }
  checkPassword(input.password, username);
  return { username };
}

/** A password for the account of this username: at sign-up, on a change and on a reset alike. */
export function checkPassword(password: string, username: string): void {
  // Length in characters as people count them, not UTF-16 units.
  const length = [...password].length;
  if (length < PASSWORD_MIN) {
    throw new AppError('validation_failed', 'accounts.rules.passwordError', { min: PASSWORD_MIN });
  }
  if (length > PASSWORD_MAX) {
    throw new AppError('validation_failed', 'accounts.rules.passwordTooLong', { max: PASSWORD_MAX });
  }
  if (password.trim().toLowerCase() === username.toLowerCase()) {
    throw new AppError('validation_failed', 'accounts.rules.passwordError', { min: PASSWORD_MIN });
  }
}
