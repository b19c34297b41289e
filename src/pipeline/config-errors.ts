/** The errors of a project's configuration: lake.json, and what its models' SQL names. The CLI exits 2. */

/** The config file is missing or invalid; `field` is the JSON path of the problem. */
export class ProjectConfigError extends Error {
  constructor(
    /** The file (lake.json, or a model's SQL file with `:line`). */
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ""}${problem}`);
    this.name = "ProjectConfigError";
  }
}

/** A key lake.json has no setting for, with the setting it most likely means. */
export class UnknownSettingError extends ProjectConfigError {
  constructor(
    file: string,
    field: string,
    /** A path like `engine.memoryLimit` or `models.<model>.expectations`. */
    readonly suggestion: string | undefined,
    /** The settings of the object the key is in. */
    readonly known: readonly string[],
    hint?: string,
  ) {
    const parent = field.includes(".") ? field.slice(0, field.lastIndexOf(".")) : "lake.json";
    const problem = suggestion
      ? `did you mean ${suggestion}?`
      : `(${hint ?? `${parent} takes: ${known.join(", ") || "nothing"}`})`;
    super(file, field, problem);
    this.message = `${file}: ${field} is not a setting${suggestion ? "; " : " "}${problem}`;
    this.name = "UnknownSettingError";
  }
}
