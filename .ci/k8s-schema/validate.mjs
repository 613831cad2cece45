// Validates Kubernetes manifests against the Kubernetes API's OpenAPI schemas, as compiled into
// the kubernetes-models package (no cluster, no network): a wrong type, a missing required field
// or an annotation that is not a string fails here instead of at `kubectl apply`. Dapr's
// Component has no schema there; the container in its dapr.io/component-container annotation is
// checked as a Kubernetes Container, which is what the Dapr injector turns it into.
//   node .ci/k8s-schema/validate.mjs components-yaml/kubernetes/*.yaml components-yaml/kubernetes/*/*.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { ConfigMap, Container, Service } from "kubernetes-models/v1";

const models = {
  "apps/v1 Deployment": Deployment,
  "apps/v1 StatefulSet": StatefulSet,
  "v1 Service": Service,
  "v1 ConfigMap": ConfigMap,
};

let valid = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      problems.push(`${file}: ${document.errors[0].message}`);
      continue;
    }
    const object = document.toJS();
    if (object == null) continue;
    const what = `${file}: ${object.kind} ${object.metadata?.name}`;
    try {
      if (object.apiVersion === "dapr.io/v1alpha1" && object.kind === "Component") {
        const container = object.metadata?.annotations?.["dapr.io/component-container"];
        if (container !== undefined) new Container(JSON.parse(container)).validate();
      } else {
        const Model = models[`${object.apiVersion} ${object.kind}`];
        if (Model === undefined) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
        new Model(object).validate();
      }
      valid++;
    } catch (e) {
      problems.push(`${what}: ${e.message}`);
    }
  }
}
for (const problem of problems) console.error(problem);
console.log(`Kubernetes schemas: ${valid} documents valid, ${problems.length} invalid`);
process.exit(problems.length === 0 && valid > 0 ? 0 : 1);
