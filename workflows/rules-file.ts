import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseRules, type WorkflowRules } from './rules';

/** The settings in force on the server, read from workflows/rules.yaml at start-up; a mistake stops the start. */
export function loadRules(file = new URL('./rules.yaml', import.meta.url)): WorkflowRules {
  return parseRules(parse(readFileSync(file, 'utf8')));
}

export const rules = loadRules();
