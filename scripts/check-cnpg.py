#!/usr/bin/env python3
"""Validates Kubernetes manifests with real JSON Schema validators, unknown fields refused.

CloudNativePG kinds (Cluster, Pooler, Database, Publication, Subscription, ScheduledBackup,
Backup) against the openAPIV3Schema of the operator's own CRDs, made strict: every object schema
that lists properties and does not preserve unknown fields gets `additionalProperties: false`
(the API server prunes unknown fields instead of refusing them; kubeconform's strict mode does
the same), and `metadata` is checked as a strict subset of ObjectMeta. Core kinds (Namespace,
ConfigMap, Job) against the Kubernetes API's own schemas in their strict form
(kubernetes-validate). Any other kind, and any Secret, is an error. Every object must also fit:
as JSON, as client-side `kubectl apply` copies it into its last-applied-configuration
annotation, at most 256 KiB (what an object's annotations may hold), and a ConfigMap's values at
most 1 MiB (what the API server accepts).

Usage: check-cnpg.py --crds DIR [--kubernetes VERSION] [--self-test] [--set NAME DIR]... [FILE...]
Each `--set NAME DIR` is every *.yaml under DIR, reported as NAME (one process validates every
example: loading and compiling the schemas takes about 5 s, validating an example's files well
under one); FILEs are one more set. --self-test breaks a sample of each kind from all of them.
Exits 1 when a manifest does not validate, a set holds no manifest, or --self-test finds a broken
manifest accepted.
"""
import argparse
import copy
import glob
import json
import os
import sys

import jsonschema
import kubernetes_validate
import yaml

CNPG_GROUP = "postgresql.cnpg.io"
CORE_KINDS = {("v1", "Namespace"), ("v1", "ConfigMap"), ("batch/v1", "Job")}
DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
CONFIGMAP_DATA_LIMIT = 1_048_576  # ValidateConfigMap: the values' bytes, MaxSecretSize
ANNOTATIONS_LIMIT = 262_144  # ValidateAnnotationsSize: TotalAnnotationSizeLimitB
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
OBJECT_META = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": DNS_SUBDOMAIN},
        "namespace": {"type": "string", "maxLength": 63, "pattern": DNS_LABEL},
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
    },
}


def strict(schema):
    """The schema with additionalProperties: false wherever properties are listed and unknown
    fields are not preserved."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) if key in ("items", "additionalProperties", "anyOf", "allOf", "oneOf", "not") else value
           for key, value in schema.items()}
    if "properties" in schema:
        out["properties"] = {name: strict(value) for name, value in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    return out


def load_crds(folder):
    """{kind: validator} for every v1 CRD version in folder."""
    validators = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path) as handle:
            crd = yaml.safe_load(handle)
        if crd.get("kind") != "CustomResourceDefinition" or crd["spec"]["group"] != CNPG_GROUP:
            continue
        for version in crd["spec"]["versions"]:
            if version["name"] != "v1":
                continue
            schema = strict(version["schema"]["openAPIV3Schema"])
            schema["properties"]["metadata"] = OBJECT_META
            schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind", "metadata"})
            schema["properties"]["apiVersion"] = {"const": f"{CNPG_GROUP}/v1"}
            schema["properties"]["kind"] = {"const": crd["spec"]["names"]["kind"]}
            jsonschema.Draft7Validator.check_schema(schema)
            validators[crd["spec"]["names"]["kind"]] = jsonschema.Draft7Validator(schema)
    if not validators:
        sys.exit(f"check-cnpg: no CloudNativePG CRDs in {folder}")
    return validators


def last_applied(document):
    """The object as client-side kubectl apply stores it: compact JSON, escaped as Go's encoding/json
    escapes (<, > and & as \\u003c, \\u003e, \\u0026)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def size_errors(document):
    """An object too large for kubectl apply's annotation, or a ConfigMap too large for the API server."""
    errors = []
    if document.get("kind") == "ConfigMap":
        data = document.get("data") or {}
        size = sum(len(value.encode()) for value in data.values() if isinstance(value, str))
        if size > CONFIGMAP_DATA_LIMIT:
            errors.append(f"data: {size} bytes, more than the {CONFIGMAP_DATA_LIMIT} a ConfigMap may hold")
    annotation = len(last_applied(document).encode())
    if annotation > ANNOTATIONS_LIMIT:
        errors.append(f"<root>: {annotation} bytes as JSON, more than kubectl apply's annotation may hold ({ANNOTATIONS_LIMIT})")
    return errors


def errors_of(document, validators, kubernetes):
    """The validation errors of one document, as strings (empty when it validates)."""
    if not isinstance(document, dict):
        return ["not a mapping"]
    kind, api = document.get("kind"), document.get("apiVersion")
    if kind == "Secret":
        return ["a Secret: topoc must reference Secrets, never write them"]
    if isinstance(api, str) and api.startswith(CNPG_GROUP + "/"):
        validator = validators.get(kind)
        if validator is None:
            return [f"no CRD for kind {kind}"]
        return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
                for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))] \
            + size_errors(document)
    if (api, kind) in CORE_KINDS:
        try:
            kubernetes_validate.validate(document, kubernetes, strict=True)
        except kubernetes_validate.ValidationError as error:
            return [f"{'/'.join(map(str, error.path)) or '<root>'}: {error.message}"]
        return size_errors(document)
    return [f"kind {api} {kind} is neither a CloudNativePG kind nor a core kind this check knows"]


def self_test(samples, validators, kubernetes):
    """Breaks valid manifests in ways a reader would not notice and checks each is refused."""
    def unknown(path):
        def mutate(doc):
            node = doc
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = "surprise"
        return mutate

    def setter(path, value):
        def mutate(doc):
            node = doc
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        return mutate

    cases = {
        "Cluster": [
            ("unknown top-level spec field", unknown(["spec", "instancez"])),
            ("unknown nested field", unknown(["spec", "postgresql", "synchronousReplicas"])),
            ("unknown field under affinity", unknown(["spec", "affinity", "antiAffinity"])),
            ("instances as a string", setter(["spec", "instances"], "three")),
            ("storage size as a mapping", setter(["spec", "storage", "size"], {"gi": 10})),
            ("unknown metadata field", unknown(["metadata", "owner"])),
        ],
        "Pooler": [
            ("statement pool mode", setter(["spec", "pgbouncer", "poolMode"], "statement")),
            ("unknown pgbouncer field", unknown(["spec", "pgbouncer", "pool_mode"])),
            ("parameter value as a number", setter(["spec", "pgbouncer", "parameters", "max_client_conn"], 100)),
        ],
        # A Cluster that backs up to an object store (spec.backup).
        "Cluster+backup": [
            ("unknown object store field", unknown(["spec", "backup", "barmanObjectStore", "bucket"])),
            ("retention outside the operator's pattern", setter(["spec", "backup", "retentionPolicy"], "2 fulls")),
            ("unknown credentials field", unknown(["spec", "backup", "barmanObjectStore", "credentials"])),
            ("resource requests as a list", setter(["spec", "resources", "requests"], ["cpu", "1"])),
            ("unknown storage field", unknown(["spec", "storage", "class"])),
        ],
        "ScheduledBackup": [
            ("unknown spec field", unknown(["spec", "retention"])),
            ("a method the operator does not know", setter(["spec", "method"], "pgbackrest")),
            ("schedule as a number", setter(["spec", "schedule"], 5)),
            ("no cluster", lambda doc: doc["spec"].pop("cluster")),
        ],
        "Database": [("unknown spec field", unknown(["spec", "tablespaceName"]))],
        "Job": [
            ("unknown pod field", unknown(["spec", "template", "spec", "restartPolicyy"])),
            ("backoffLimit as a string", setter(["spec", "backoffLimit"], "three")),
        ],
        "ConfigMap": [
            ("data value as a number", setter(["data", "run.sh"], 1)),
            ("data over 1 MiB", setter(["data", "run.sh"], "x" * (CONFIGMAP_DATA_LIMIT + 1))),
            ("data over kubectl apply's annotation limit", setter(["data", "run.sh"], "<" * (ANNOTATIONS_LIMIT // 6 + 1))),
        ],
        "Namespace": [("unknown top-level field", unknown(["spek"]))],
    }
    failures = 0
    for kind, mutations in cases.items():
        sample = samples.get(kind)
        if sample is None:
            print(f"check-cnpg: self-test: no {kind} manifest to break", file=sys.stderr)
            failures += 1
            continue
        if errors_of(sample, validators, kubernetes):
            print(f"check-cnpg: self-test: the {kind} sample does not validate to begin with", file=sys.stderr)
            failures += 1
        for label, mutate in mutations:
            broken = copy.deepcopy(sample)
            mutate(broken)
            found = errors_of(broken, validators, kubernetes)
            if found:
                print(f"check-cnpg: self-test: {kind} with {label}: refused ({found[0]})")
            else:
                print(f"check-cnpg: self-test: {kind} with {label}: ACCEPTED", file=sys.stderr)
                failures += 1
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"password": "y"}}
    if errors_of(secret, validators, kubernetes):
        print("check-cnpg: self-test: a Secret: refused")
    else:
        failures += 1
    return failures


def validate_set(name, paths, validators, kubernetes, samples):
    """Validates one set of manifest files, prints its summary line and returns its failures."""
    failures = 0
    counts = {}
    label = f"{name}: " if name else ""
    if not paths:
        print(f"check-cnpg: {label}no manifests", file=sys.stderr)
        return 1
    for path in paths:
        with open(path) as handle:
            documents = [doc for doc in yaml.safe_load_all(handle) if doc is not None]
        if not documents:
            print(f"{path}: no document", file=sys.stderr)
            failures += 1
        for document in documents:
            for error in errors_of(document, validators, kubernetes):
                print(f"{path}: {error}", file=sys.stderr)
                failures += 1
            kind = document.get("kind") if isinstance(document, dict) else None
            counts[kind] = counts.get(kind, 0) + 1
            samples.setdefault(kind, document)
            if kind == "Cluster" and "backup" in (document.get("spec") or {}):
                samples.setdefault("Cluster+backup", document)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items(), key=lambda item: str(item[0])))
    print(f"check-cnpg: {label}{len(paths)} files ({summary}): {'ok' if failures == 0 else f'{failures} errors'}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crds", required=True)
    parser.add_argument("--kubernetes", default="1.33.0")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--set", nargs=2, action="append", default=[], metavar=("NAME", "DIR"))
    parser.add_argument("files", nargs="*")
    arguments = parser.parse_args()
    sets = [(name, sorted(glob.glob(os.path.join(folder, "**", "*.yaml"), recursive=True))) for name, folder in arguments.set]
    if arguments.files or not sets:
        sets.append(("", arguments.files))
    validators = load_crds(arguments.crds)
    failures = 0
    samples = {}
    for name, paths in sets:
        failures += validate_set(name, paths, validators, arguments.kubernetes, samples)
    if arguments.self_test:
        failures += self_test(samples, validators, arguments.kubernetes)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
