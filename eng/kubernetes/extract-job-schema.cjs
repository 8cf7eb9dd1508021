// Writes the JSON Schema (draft-07) of a Kubernetes batch/v1 Job, with every definition it refers to, from the
// schemas the npm package kubernetes-models ships (generated from the Kubernetes OpenAPI spec). Run by
// update-job-schema.sh, in a folder where that package is installed: node extract-job-schema.cjs OUT.json
// Changes to the package's schemas, as kubeconform's "strict" schemas do: an object with listed properties gets
// additionalProperties: false (a misspelt field is an error, as the API server's strict field validation makes
// it), and the "quantity" format becomes the package's own quantity pattern (a validator knows no such format).
"use strict";
const fs = require("fs");
const load = require("module").createRequire(process.cwd() + "/"); // the packages installed in the current folder
const validate = load("@kubernetes-models/validate");
const definitions = {};
validate.register = (id, schema) => { definitions[id] = schema; };
// by path: the package's "exports" do not list its _schemas folder
load(require("path").join(process.cwd(), "node_modules/kubernetes-models/_schemas/IoK8sApiBatchV1Job.js")).addSchema();

// The quantity pattern of @kubernetes-models/validate (its "quantity" format), written out.
const number = String.raw`[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)`;
const quantity = `^${number}(?:[KMGTPE]i|(?:[YZEPTGMkhdcmunpfazy]|da)|[eE]${number})?$`;

function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref") out[key] = "#/definitions/" + value.replace(/#$/, "");
    else if (key === "format" && value === "quantity") out.pattern = quantity;
    else out[key] = strict(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const pkg = load("kubernetes-models/package.json");
const sorted = Object.fromEntries(Object.keys(definitions).sort().map(id => [id, strict(definitions[id])]));
const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $comment: `batch/v1 Job from the npm package ${pkg.name} ${pkg.version} (${pkg.license}; Kubernetes 1.27 API), ` +
    "extracted by eng/kubernetes/update-job-schema.sh; strict: unknown fields are errors",
  $ref: "#/definitions/io.k8s.api.batch.v1.Job",
  definitions: sorted,
};
fs.writeFileSync(process.argv[2], JSON.stringify(schema, null, 1) + "\n");
console.log(`${Object.keys(sorted).length} definitions written to ${process.argv[2]}`);
