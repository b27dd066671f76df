import type { Entity } from "./fake-youtrack-fields.js";

export interface FakeUser {
  id: string;
  login: string;
  fullName: string;
}

export interface FakeProject {
  id: string;
  shortName: string;
  name: string;
  archived: boolean;
  /** The number the next issue of the project gets. */
  nextNumber: number;
}

export interface FakeComment {
  id: string;
  text: string;
  created: number;
  author: string;
}

export interface FakeIssue {
  id: string;
  projectId: string;
  numberInProject: number;
  summary: string;
  description: string | null;
  created: number;
  updated: number;
  /** When it entered a resolved state; null while unresolved. */
  resolved: number | null;
  /** Custom field values by field name: value names, a user's login for Assignee, or null. */
  fields: Record<string, string | null>;
  comments: FakeComment[];
}

/** A custom field every project of the fake has, as YouTrack's default template gives them. */
export interface FieldDefinition {
  name: string;
  /** The `$type` of the issue's field, e.g. StateIssueCustomField. */
  $type: string;
  /** Allowed value names; undefined for a user field (values are logins). */
  values?: readonly string[];
  /** Values that make an issue resolved (State). */
  resolvedValues?: readonly string[];
  /** The `$type` of a value, e.g. StateBundleElement. */
  valueType: string;
  initial: string | null;
}

export const FIELD_DEFINITIONS: readonly FieldDefinition[] = [
  {
    name: "Priority",
    $type: "SingleEnumIssueCustomField",
    values: ["Show-stopper", "Critical", "Major", "Normal", "Minor"],
    valueType: "EnumBundleElement",
    initial: "Normal",
  },
  {
    name: "State",
    $type: "StateIssueCustomField",
    values: [
      "Submitted",
      "Open",
      "In Progress",
      "To be discussed",
      "Fixed",
      "Verified",
      "Duplicate",
    ],
    resolvedValues: ["Fixed", "Verified", "Duplicate"],
    valueType: "StateBundleElement",
    initial: "Submitted",
  },
  {
    name: "Assignee",
    $type: "SingleUserIssueCustomField",
    valueType: "User",
    initial: null,
  },
];

/** The fake instance's users, projects and issues. */
export class FakeYouTrackData {
  readonly users: FakeUser[] = [
    { id: "1-1", login: "admin", fullName: "Ada Admin" },
    { id: "1-2", login: "jane", fullName: "Jane Doe" },
    { id: "1-3", login: "john.smith", fullName: "John Smith" },
  ];
  readonly projects: FakeProject[] = [
    { id: "0-0", shortName: "DEMO", name: "Demo project", archived: false, nextNumber: 1 },
    { id: "0-1", shortName: "OPS", name: "Operations", archived: false, nextNumber: 1 },
    { id: "0-2", shortName: "OLD", name: "Old things", archived: true, nextNumber: 1 },
  ];
  readonly issues: FakeIssue[] = [];
  private issueSeq = 0;
  private commentSeq = 0;

  project(id: string): FakeProject | undefined {
    return this.projects.find((p) => p.id === id);
  }

  /** An issue by database id (2-7) or readable id (DEMO-3, any case). */
  issue(id: string): FakeIssue | undefined {
    return this.issues.find(
      (issue) => issue.id === id || this.idReadable(issue).toUpperCase() === id.toUpperCase(),
    );
  }

  user(login: string): FakeUser | undefined {
    return this.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
  }

  idReadable(issue: FakeIssue): string {
    return `${this.project(issue.projectId)?.shortName ?? "?"}-${issue.numberInProject}`;
  }

  createIssue(project: FakeProject, summary: string, description: string | null): FakeIssue {
    this.issueSeq += 1;
    const now = Date.now();
    const fields: Record<string, string | null> = {};
    for (const definition of FIELD_DEFINITIONS) fields[definition.name] = definition.initial;
    const issue: FakeIssue = {
      id: `2-${this.issueSeq}`,
      projectId: project.id,
      numberInProject: project.nextNumber,
      summary,
      description,
      created: now,
      updated: now,
      resolved: null,
      fields,
      comments: [],
    };
    project.nextNumber += 1;
    this.issues.push(issue);
    return issue;
  }

  addComment(issue: FakeIssue, text: string, author: string): FakeComment {
    this.commentSeq += 1;
    const comment = { id: `4-${this.commentSeq}`, text, created: Date.now(), author };
    issue.comments.push(comment);
    issue.updated = comment.created;
    return comment;
  }

  /** Sets a field, keeping `resolved` in step with the State. */
  setField(issue: FakeIssue, definition: FieldDefinition, value: string | null): void {
    issue.fields[definition.name] = value;
    issue.updated = Date.now();
    if (definition.resolvedValues === undefined) return;
    const resolved = value !== null && definition.resolvedValues.includes(value);
    if (!resolved) issue.resolved = null;
    else issue.resolved ??= issue.updated;
  }

  userEntity(user: FakeUser): Entity {
    return {
      $type: "User",
      id: user.id,
      login: user.login,
      name: user.fullName,
      fullName: user.fullName,
    };
  }

  projectEntity(project: FakeProject): Entity {
    return {
      $type: "Project",
      id: project.id,
      shortName: project.shortName,
      name: project.name,
      archived: project.archived,
    };
  }

  commentEntity(comment: FakeComment): Entity {
    const author = this.user(comment.author);
    return {
      $type: "IssueComment",
      id: comment.id,
      text: comment.text,
      created: comment.created,
      author: author === undefined ? null : this.userEntity(author),
    };
  }

  issueEntity(issue: FakeIssue): Entity {
    const project = this.project(issue.projectId);
    return {
      $type: "Issue",
      id: issue.id,
      idReadable: this.idReadable(issue),
      numberInProject: issue.numberInProject,
      summary: issue.summary,
      description: issue.description,
      created: issue.created,
      updated: issue.updated,
      resolved: issue.resolved,
      project: project === undefined ? null : this.projectEntity(project),
      customFields: FIELD_DEFINITIONS.map((definition) => ({
        $type: definition.$type,
        id: `${definition.name.toLowerCase()}-field`,
        name: definition.name,
        value: this.valueEntity(definition, issue.fields[definition.name] ?? null),
      })),
      comments: issue.comments.map((comment) => this.commentEntity(comment)),
    };
  }

  private valueEntity(definition: FieldDefinition, value: string | null): Entity | null {
    if (value === null) return null;
    if (definition.values === undefined) {
      const user = this.user(value);
      return user === undefined ? null : this.userEntity(user);
    }
    return { $type: definition.valueType, id: `${definition.name}-${value}`, name: value };
  }
}
