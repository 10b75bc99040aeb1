/**
 * What a password must be, for every account set through the API or the first-run administrator in production:
 * long enough, not guessable (zxcvbn's estimate, which knows tens of thousands of common passwords, keyboard walks,
 * dates, repetitions and l33t spellings), and not containing the username.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { messages } from '../../workflows/messages';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's 0–4 scale; 3 means at least 10^8 guesses, out of reach behind Argon2id and the login throttle. */
const MIN_SCORE = 3;

const estimator = new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });

/** Why the password is refused (in Chinese, for the user), or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return messages.passwordTooShort(MIN_PASSWORD_LENGTH);
  if (password.toLowerCase().includes(username.toLowerCase())) return messages.passwordContainsUsername;
  if (estimator.check(password, [username]).score < MIN_SCORE) return messages.passwordGuessable;
  return undefined;
}
