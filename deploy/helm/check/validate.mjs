// Validates rendered Kubernetes manifests (multi-document YAML files given as arguments) against
// the Kubernetes, Strimzi and prometheus-operator schemas of the pinned model packages:
//  1. each object's model validates it (types, required fields, enums, formats);
//  2. the TypeScript compiler checks every object as a literal of its model's interface, so a field
//     the schema does not know (a typo, a wrong nesting level) is an error, as the API server's
//     strict field validation would make it.
// An object whose apiVersion/kind has no model fails the run. Exit status 1 on any error.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The module path of an apiVersion/kind's model, or null. */
function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group.endsWith("strimzi.io")) {
    return `@kubernetes-models/strimzi-kafka-operator/${group}/${version}/${kind}`;
  }
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

const objects = [];
const errors = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      errors.push(`${file}: YAML error: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    const where = `${file}: ${obj.kind ?? "?"} ${obj.metadata?.name ?? "?"}`;
    if (!obj.apiVersion || !obj.kind) {
      errors.push(`${where}: no apiVersion or kind`);
      continue;
    }
    const path = modelPath(obj.apiVersion, obj.kind);
    let Model;
    try {
      Model = (await import(path))[obj.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      errors.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      errors.push(`${where}: ${e.message}`);
    }
    objects.push({ where, path, kind: obj.kind, obj });
  }
}

// Excess-property check: one typed constant per object.
const dir = mkdtempSync(join(tmpdir(), "vigil-chart-check-"));
try {
  const lines = [];
  objects.forEach((o, i) => {
    lines.push(`import type { I${o.kind} as T${i} } from ${JSON.stringify(o.path)};`);
  });
  objects.forEach((o, i) => {
    lines.push(`// ${o.where}`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(o.obj, null, 1)};`);
  });
  const source = join(dir, "objects.ts");
  writeFileSync(source, lines.join("\n") + "\n");
  const ts = require("typescript");
  const program = ts.createProgram([source], {
    noEmit: true,
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    typeRoots: [],
    baseUrl: here,
    paths: { "*": [join(here, "node_modules", "*")] },
  });
  const text = readFileSync(source, "utf8").split("\n");
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      // The comment line above the object's constant names it.
      let k = line;
      while (k > 0 && !text[k].startsWith("// ")) k--;
      errors.push(`${text[k].slice(3)}: line ${line - k}: ${message}`);
    } else {
      errors.push(message);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (errors.length > 0) {
  for (const e of errors) console.error(`invalid: ${e}`);
  console.error(`${errors.length} error(s) in ${objects.length} object(s)`);
  process.exit(1);
}
const kinds = [...new Set(objects.map((o) => o.kind))].sort().join(", ");
console.log(`valid: ${objects.length} objects (${kinds})`);
