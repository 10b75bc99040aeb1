import { z } from 'zod';
import { messages } from './messages';
import { DAY_OUT_OF_RANGE } from './day-input';

/**
 * What the service and the web forms say about a value that does not fit its
 * form, for every schema without a message of its own: the field as users know
 * it (messages.fieldNames, or the schema's own `title`) and what is wrong, in
 * the words of messages.input. Installed with `useInputErrors()` by the API's
 * route declarations and by the web app, instead of zod's locale, whose text is
 * written for developers ("数值过小：期望 string >=1 字符").
 */
type Issue = z.core.$ZodRawIssue;

const { input, fieldNames } = messages;

/** The field's name: the schema's own title, its path without list positions, its last key. */
function fieldName(issue: Issue): string {
  const owner = issue.schema ?? issue.inst;
  const title = owner && z.globalRegistry.get(owner as z.ZodType)?.title;
  if (title) return title;
  const keys = (issue.path ?? []).filter((key): key is string => typeof key === 'string');
  if (keys.length === 0) return messages.wholeRequest;
  return fieldNames[keys.join('.')] ?? fieldNames[keys.slice(-2).join('.')] ?? fieldNames[keys.at(-1)!] ?? messages.someField;
}

const isMissing = (value: unknown) => value === undefined || value === null || value === '';

function invalidType(issue: Extract<Issue, { code: 'invalid_type' }>, field: string): string {
  if (isMissing(issue.input)) return input.required(field);
  switch (issue.expected) {
    case 'int':
      return typeof issue.input === 'number' && Number.isFinite(issue.input) ? input.whole(field) : input.number(field);
    case 'number':
    case 'bigint':
    case 'nan':
      return input.number(field);
    case 'string':
      return input.text(field);
    case 'boolean':
      return input.yesOrNo(field);
    case 'date':
      return input.date(field);
    default:
      return input.shape(field);
  }
}

const countable = ['array', 'set', 'map', 'file'];

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>, field: string): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'string') return min <= 1 ? input.required(field) : input.shorterThan(field, min);
  if (countable.includes(issue.origin)) return min <= 1 ? input.required(field) : input.fewerThan(field, min);
  return issue.inclusive === false ? input.notAbove(field, min) : input.below(field, min);
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>, field: string): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'string') return input.longerThan(field, max);
  if (countable.includes(issue.origin)) return input.moreThan(field, max);
  return issue.inclusive === false ? input.notBelow(field, max) : input.above(field, max);
}

export function inputError(issue: Issue): string {
  const field = fieldName(issue);
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue, field);
    case 'too_small':
      return tooSmall(issue, field);
    case 'too_big':
      return tooBig(issue, field);
    case 'invalid_format':
      return ['date', 'datetime'].includes(issue.format) ? input.date(field) : input.shape(field);
    case 'invalid_value':
      return issue.values.length > 1 ? input.choose(field) : input.shape(field);
    case 'not_multiple_of':
      return input.multipleOf(field, issue.divisor);
    case 'unrecognized_keys':
      return input.unknownKeys;
    case 'custom':
      return issue.params?.kind === DAY_OUT_OF_RANGE ? input.date(field) : input.notAccepted(field);
    default:
      return input.shape(field);
  }
}

/** Makes `inputError` zod's words everywhere in this process (the server, or the browser). */
export function useInputErrors(): void {
  z.config({ customError: inputError, localeError: inputError });
}
