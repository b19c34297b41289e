/**
 * The files the pages load, all from this server: the browser scripts and styles in `static/` (beside
 * this module, in the source tree and in the build alike) and the browser builds of vega and vega-lite
 * from the installed packages. Nothing comes from the internet.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC_DIR = fileURLToPath(new URL("./static/", import.meta.url));
const STATIC_NAME = /^[a-z][a-z0-9-]*\.(js|css|svg)$/;
const TYPES: Readonly<Record<string, string>> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

const require = createRequire(import.meta.url);
/** The vendored browser builds, by the name the pages ask for. */
const VENDOR: Readonly<Record<string, () => string>> = {
  // The packages export only their ES modules; the browser builds sit beside them in build/.
  "vega.min.js": () => join(dirname(require.resolve("vega")), "vega.min.js"),
  "vega-lite.min.js": () => join(dirname(require.resolve("vega-lite")), "vega-lite.min.js"),
  "vega-interpreter.js": () => join(dirname(require.resolve("vega-interpreter")), "vega-interpreter.js"),
};

/**
 * vega-interpreter (which evaluates chart expressions without `Function()`, so the policy needs no
 * 'unsafe-eval') ships only as an ES module importing three names from `vega-util`, a bare name a
 * browser cannot resolve; the vega build already on the page exports them.
 */
const INTERPRETER_IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';";
const VENDOR_REWRITE: Readonly<Record<string, (text: string) => string>> = {
  "vega-interpreter.js": (text) => {
    if (!text.includes(INTERPRETER_IMPORT))
      throw new Error("vega-interpreter's import of vega-util changed; see web/assets.ts");
    return text.replace(
      INTERPRETER_IMPORT,
      "const { ascending, isString, DisallowedObjectProperties } = window.vega ?? {};",
    );
  },
};

/** An asset's bytes and content type. */
export interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
}

const cache = new Map<string, Promise<Asset | undefined>>();

/** The static file `name` (`app.js`), or undefined for a name that is not one of them. */
export function staticAsset(name: string): Promise<Asset | undefined> {
  if (!STATIC_NAME.test(name)) return Promise.resolve(undefined);
  const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] as string;
  return cached(`static/${name}`, () => join(STATIC_DIR, name), type);
}

/** The vendored script `name` (`vega.min.js`), or undefined. */
export function vendorAsset(name: string): Promise<Asset | undefined> {
  const path = VENDOR[name];
  if (path === undefined) return Promise.resolve(undefined);
  return cached(`vendor/${name}`, path, TYPES.js as string, VENDOR_REWRITE[name]);
}

function cached(
  key: string,
  path: () => string,
  type: string,
  rewrite?: (text: string) => string,
): Promise<Asset | undefined> {
  let asset = cache.get(key);
  if (asset === undefined) {
    asset = readFile(path()).then(
      (body) => ({ body: rewrite ? Buffer.from(rewrite(body.toString("utf8"))) : body, type }),
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      },
    );
    cache.set(key, asset);
  }
  return asset;
}
