/** `cdk synth` / `cdk deploy` entry point (cdk.json "app"): the lake's stack from cdk.json's context. */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { lakeApp } from "../lib/lake-app.ts";

const { app } = lakeApp(resolve(dirname(fileURLToPath(import.meta.url)), "../.."));
app.synth();
