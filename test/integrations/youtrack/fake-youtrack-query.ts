import {
  FIELD_DEFINITIONS,
  type FakeIssue,
  type FakeYouTrackData,
  type FieldDefinition,
} from "./fake-youtrack-data.js";

interface Token {
  text: string;
  /** Written as `{multi word}`. */
  braced: boolean;
}

/** Words and `{braced groups}`, as YouTrack's command and search grammars split them. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\{([^}]*)\}|([^\s{}]+)/g)) {
    tokens.push(
      match[1] !== undefined
        ? { text: match[1].trim(), braced: true }
        : { text: match[2] ?? "", braced: false },
    );
  }
  return tokens;
}

/** A command YouTrack refuses; its message is the answer's error_description. */
export class CommandError extends Error {}

/** One change a command makes: a field and its canonical value (null unsets). */
export type FieldChange = [FieldDefinition, string | null];

/**
 * Parses a command made of `Field value` pairs (a field's name may have several words; a value
 * with spaces is braced), checking each value against the field's allowed values.
 */
export function parseCommand(query: string, data: FakeYouTrackData): FieldChange[] {
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new CommandError("Command is empty");
  const changes: FieldChange[] = [];
  let at = 0;
  while (at < tokens.length) {
    const match = matchField(tokens, at);
    if (match === undefined) throw new CommandError(`Unknown command: ${tokens[at]?.text ?? ""}`);
    const [definition, words] = match;
    at += words;
    const token = tokens[at];
    if (token === undefined) throw new CommandError(`${definition.name}: value expected`);
    at += 1;
    changes.push([definition, canonicalValue(definition, token.text, data)]);
  }
  return changes;
}

function matchField(tokens: Token[], at: number): [FieldDefinition, number] | undefined {
  for (const definition of FIELD_DEFINITIONS) {
    const words = definition.name.split(/\s+/);
    const said = tokens.slice(at, at + words.length);
    if (
      said.length === words.length &&
      said.every((t, i) => !t.braced && t.text.toLowerCase() === words[i]?.toLowerCase())
    ) {
      return [definition, words.length];
    }
  }
  return undefined;
}

function canonicalValue(
  definition: FieldDefinition,
  value: string,
  data: FakeYouTrackData,
): string | null {
  if (definition.values === undefined) {
    if (value.toLowerCase() === "unassigned") return null;
    const user = data.user(value);
    if (user === undefined) throw new CommandError(`${definition.name}: unknown user ${value}`);
    return user.login;
  }
  const found = definition.values.find((v) => v.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    throw new CommandError(`${definition.name}: value "${value}" does not exist`);
  }
  return found;
}

/**
 * The issues matching a search query: `project: X`, `State: X`, `Priority: X`,
 * `Assignee: login` / `for: login` (values braced when they have spaces), `#Unresolved`,
 * `#Resolved`, and free words found in the summary or description.
 */
export function searchIssues(query: string, data: FakeYouTrackData): FakeIssue[] {
  const tests: Array<(issue: FakeIssue) => boolean> = [];
  const tokens = tokenize(query);
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at] as Token;
    const text = token.text;
    if (!token.braced && text.toLowerCase() === "#unresolved") {
      tests.push((issue) => issue.resolved === null);
      continue;
    }
    if (!token.braced && text.toLowerCase() === "#resolved") {
      tests.push((issue) => issue.resolved !== null);
      continue;
    }
    const attribute = token.braced ? undefined : /^([A-Za-z]+):(.*)$/.exec(text);
    if (attribute) {
      const key = (attribute[1] ?? "").toLowerCase();
      let value = attribute[2] ?? "";
      if (value === "") {
        at += 1;
        value = tokens[at]?.text ?? "";
      }
      tests.push(attributeTest(key, value.toLowerCase(), data));
      continue;
    }
    const word = text.toLowerCase();
    tests.push(
      (issue) =>
        issue.summary.toLowerCase().includes(word) ||
        (issue.description ?? "").toLowerCase().includes(word),
    );
  }
  return data.issues.filter((issue) => tests.every((test) => test(issue)));
}

function attributeTest(
  key: string,
  value: string,
  data: FakeYouTrackData,
): (issue: FakeIssue) => boolean {
  if (key === "project") {
    return (issue) => {
      const project = data.project(issue.projectId);
      return project?.shortName.toLowerCase() === value || project?.name.toLowerCase() === value;
    };
  }
  const field =
    key === "for" ? "Assignee" : FIELD_DEFINITIONS.find((d) => d.name.toLowerCase() === key)?.name;
  if (field === undefined) return () => false;
  return (issue) => (issue.fields[field] ?? "").toLowerCase() === value;
}
