/**
 * The project `lake init` writes: the retail template in `templates/retail/` of the package (lake.json
 * with the four sources of the synthetic retail dataset and the models, `macros/`, `models/`). The
 * pipeline knows nothing of retail: everything retail is in those files, which users then edit.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_FILE } from "./project-config.ts";

/** The template's folder (the same relative place from `src/pipeline/` and `dist/pipeline/`). */
export const TEMPLATE_DIR = fileURLToPath(new URL("../../templates/retail/", import.meta.url));

/** The template's lake.json as an object. */
export async function templateConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(TEMPLATE_DIR, CONFIG_FILE), "utf8")) as Record<string, unknown>;
}

/**
 * Copies the template into `dir` (its macros/, models/ and charts/ folders, and lake.json named `name`, after
 * `edit` if given). Files already in `dir` are overwritten: the caller checks there is no project.
 */
export async function writeProjectTemplate(
  dir: string,
  name: string,
  edit: (config: Record<string, unknown>) => Record<string, unknown> = (c) => c,
): Promise<void> {
  for (const folder of ["macros", "models", "charts"]) {
    await cp(join(TEMPLATE_DIR, folder), join(dir, folder), { recursive: true });
  }
  const config = edit({ ...(await templateConfig()), name });
  await writeFile(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}
