#!/usr/bin/env python3
"""Generate docs/reference/manifests.md from the kinds' JSON Schemas.

The field tables come from warden-api/src/main/resources/io/warden/api/schema/*.json, the
plural, scope and short names from warden-api/.../Kinds.java, and the examples from
examples/*.yaml (or, for kinds without one there, from EXTRA_EXAMPLES below), so the reference
cannot drift from what the server validates.

    python3 docs/tools/gen-manifests.py            # rewrite docs/reference/manifests.md
    python3 docs/tools/gen-manifests.py --check    # exit 1 if the file is out of date
    python3 docs/tools/gen-manifests.py --stdout   # print instead of writing

Only the standard library is needed. When PyYAML and jsonschema are importable, every example
is also validated against the schemas and the run fails on an invalid one.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "warden-api/src/main/resources/io/warden/api/schema"
KINDS_JAVA = ROOT / "warden-api/src/main/java/io/warden/api/Kinds.java"
EXAMPLES_DIR = ROOT / "examples"
OUT = ROOT / "docs/reference/manifests.md"

# Examples of kinds that examples/ does not hold (it stays small and applies cleanly).
EXTRA_EXAMPLES = {
    "Role": """\
apiVersion: warden.dev/v1
kind: Role
metadata:
  name: tool-maintainer
  labels:
    team: platform
spec:
  description: Read everything in a namespace, submit tasks and manage tools.
  rules:
    - resources: ["*"]
      verbs: [get, list, watch]
    - resources: [tools]
      verbs: [create, update, delete]
    - resources: [tasks]
      verbs: [submit]
""",
    "ClusterRoleBinding": """\
apiVersion: warden.dev/v1
kind: ClusterRoleBinding
metadata:
  name: security-team-admins
spec:
  roleRef:
    name: admin
  subjects:
    - kind: User
      name: alice
""",
    "RoleBinding": """\
apiVersion: warden.dev/v1
kind: RoleBinding
metadata:
  name: platform-writers
  namespace: demo
spec:
  roleRef:
    name: writer
  subjects:
    - kind: User
      name: alice
    - kind: Token
      name: ci-deploy
""",
    "Agent": """\
apiVersion: warden.dev/v1
kind: Agent
metadata:
  name: repo-triage
  namespace: demo
spec:
  description: Clones a repository and summarises open problems.
  modelEndpoint: openai
  model: gpt-4o-mini
  instructions: You triage repositories. Use git-clone, then report what you found.
  tools: [git-clone]
  maxSteps: 10
""",
    "ModelEndpoint": """\
apiVersion: warden.dev/v1
kind: ModelEndpoint
metadata:
  name: openai
  namespace: demo
spec:
  provider: openai
  baseUrl: https://api.openai.com/v1
  apiKeySecret:
    name: openai-api-key
    key: token
  models: [gpt-4o-mini]
  timeoutSeconds: 60
""",
    "Worker": """\
apiVersion: warden.dev/v1
kind: Worker
metadata:
  name: build-01
  namespace: demo
  labels:
    pool: linux-amd64
spec:
  description: Build host in the platform rack.
  concurrency: 8
""",
}

KIND_NOTES = {
    "Namespace": "Every namespaced resource lives in a Namespace, which must exist first; "
                 "deleting a Namespace that still holds resources answers `409`.",
    "Role": "A Role is a set of permissions, defined once for the whole installation and "
            "granted per namespace by RoleBindings or everywhere by ClusterRoleBindings. A "
            "request is allowed when a rule of one of the caller's roles names its resource "
            "(a plural such as `tools`, `users` or `tokens`, or `*`) and its verb. The built-in "
            "roles (reader, writer, approver, admin, worker, agent) are created at first start "
            "and never overwritten; see docs/security.md.",
    "RoleBinding": "Grants the Role named in `roleRef` to principals, in the binding's namespace "
                   "only. A principal with no binding in a namespace gets 404 for everything in it.",
    "ClusterRoleBinding": "Grants the Role named in `roleRef` to principals in every namespace and "
                          "on cluster resources (namespaces, roles, users, tokens). The first admin "
                          "is bound by `setup-admin`.",
    "Agent": "A model-driven agent: which model it talks to and which tools it may ask for. "
             "Every tool call it makes still goes through policy.",
    "Tool": "Something a task can run: a program on a worker (`exec`) or an HTTP call through "
            "the egress guard (`http`). `exec` is required when `type` is `exec`, `http` when "
            "`type` is `http`. Workers run `exec` tools (see docs/reference/worker.md); `http` "
            "tools are stored and validated, and run once the egress issue lands.",
    "Policy": "Rules deciding who may call which tool with which arguments. Deny by default: a "
              "call no rule matches is denied. When several rules match, `deny` wins over "
              "`requireApproval`, which wins over `allow`. Policies are stored and validated "
              "today; nothing evaluates them until the governance issue lands.",
    "ModelEndpoint": "An API that serves models to Agents. The API key is referenced by Secret "
                     "name, never written inline.",
    "Worker": "A registered worker and its capacity. Its `metadata.labels` are what task "
              "selectors match; `warden workers register` creates it and issues its credential.",
}

INTRO = """\
# Manifest reference

<!-- Generated by docs/tools/gen-manifests.py from the JSON Schemas in
     warden-api/src/main/resources/io/warden/api/schema/ and Kinds.java. Do not edit by hand:
     change the schema (or the generator's prose) and run the generator. -->

Every Warden resource is written as a manifest with the same envelope:

```yaml
apiVersion: warden.dev/v1   # always this
kind: Tool                  # one of the kinds below
metadata:                   # name, namespace, labels, annotations (+ server-written fields)
  name: git-clone
  namespace: demo
spec: {}                    # desired state; its shape depends on the kind
status: {}                  # observed state; written by the server only
```

Unknown fields are rejected everywhere, in the envelope and in every `spec`. A manifest that
does not validate is refused with `422` and one `{path, message}` per bad field (see
[api.md](api.md)). JSON and YAML are the same document: the CLI sends YAML as JSON.

## What "Status" means in the tables

Warden stores, validates, lists and watches these resources, checks permissions with Roles
and bindings, and runs `exec` Tools on workers. It does not yet evaluate policies, inject
secrets, sandbox runs or make `http` calls. The **Status** column says how far each field has
got:

- **validated**: checked on every apply against the constraints shown, and acted on as its
  description says wherever the part of Warden that reads it has landed.
- **not enforced yet (X issue)**: the schema itself says the field is stored and validated,
  but nothing acts on it until that issue lands. Do not rely on it for security before then.
- **kind not read yet (X issue)**: the whole kind is stored and validated only; no part of
  Warden reads it until that issue lands.

Column notes: *Required* is as the schema says (`yes`, `no`, or a condition). *Default* is
the value the field has when omitted, where the schema names one. Paths use `[]` for "each
element of the array" and `<key>` for "each entry of the map". Constraints on strings count
characters.

## Kinds

{kinds_index}

## Common metadata

{metadata_prose}

{envelope_table}
"""

METADATA_PROSE = """\
- **`name`** is required and unique per kind and namespace (per kind for cluster kinds). It
  is an RFC 1123 label: lower-case letters, digits and `-`, starting and ending with a letter
  or digit, at most 63 characters. `git-clone` is fine; `Git_Clone`, `-x` and `x-` are not.
  The name in the manifest must match the name in the URL.
- **`namespace`** is set on namespaced kinds (and must match the URL when given) and absent on
  cluster kinds (Namespace, Role). The namespace must already exist, else `404`.
- **`labels`** are for selection (`warden get tools -l team=platform`, `?labelSelector=` on the
  API). At most 64. Keys look like Kubernetes label keys: an optional DNS-subdomain prefix and
  `/`, then a name of at most 63 characters (`[A-Za-z0-9]`, with `-`, `_`, `.` inside), for
  example `team` or `app.kubernetes.io/part-of`. Values are at most 63 characters of the same
  alphabet, and may be empty.
- **`annotations`** are free-form notes, not used for selection: at most 64 entries, keys up to
  317 characters, values up to 4096.
- **Server-written fields**: `uid`, `generation`, `creationTimestamp`, `updateTimestamp` and
  all of `status` are set by the server and ignored when you send them, so the output of
  `warden get -o yaml` can be applied again unchanged.
- **`resourceVersion`** is the version of the stored object; it changes on every write. Send it
  back to make a write conditional (optimistic concurrency): if the stored object has moved on,
  or no longer exists, the write is refused with `409 Conflict` and nothing changes. Without
  it, the write is unconditional. An apply that changes nothing (same spec, labels and
  annotations) writes nothing and leaves `resourceVersion` where it was.
- **`generation`** increases by one each time `spec` changes. Changing only
  labels or annotations moves `resourceVersion` but not `generation`."""


# --------------------------------------------------------------------------------------------
# reading the sources

def read_kinds():
    text = KINDS_JAVA.read_text(encoding="utf-8")
    kinds = []
    for m in re.finditer(
            r'new Kind\("(\w+)",\s*"(\w+)",\s*(true|false),\s*List\.of\(([^)]*)\)\)', text):
        shorts = re.findall(r'"([^"]*)"', m.group(4))
        kinds.append({"name": m.group(1), "plural": m.group(2),
                      "namespaced": m.group(3) == "true", "shortNames": shorts})
    if not kinds:
        sys.exit(f"no kinds found in {KINDS_JAVA}")
    return kinds


def load_schema(name):
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


def example_for(kind):
    """(source label, YAML text) of one example manifest of the kind."""
    found = []
    if EXAMPLES_DIR.is_dir():
        for path in sorted(EXAMPLES_DIR.glob("*.y*ml")):
            text = path.read_text(encoding="utf-8")
            if re.search(rf"^kind:\s*{kind}\s*$", text, re.M):
                found.append((f"examples/{path.name}", text))
    if found:
        return found[0]
    if kind in EXTRA_EXAMPLES:
        return None, EXTRA_EXAMPLES[kind]
    sys.exit(f"no example for kind {kind}: add one to examples/ or EXTRA_EXAMPLES")


# --------------------------------------------------------------------------------------------
# rendering schemas

PENDING_FIELD = re.compile(r"enforced once the ([\w-]+) issue lands", re.I)
PENDING_KIND = re.compile(r"read once the ([\w-]+) issue lands", re.I)


def code(value):
    if isinstance(value, str):
        return f"`{value}`"
    return f"`{json.dumps(value)}`"


def cell(text):
    # GFM tables split on '|' even inside code spans unless it is escaped.
    return str(text).replace("|", "\\|").replace("\n", " ")


def type_of(s):
    if "const" in s:
        return "string" if isinstance(s["const"], str) else type(s["const"]).__name__
    if "enum" in s:
        return "string (enum)" if all(isinstance(v, str) for v in s["enum"]) else "enum"
    t = s.get("type")
    if t == "array":
        items = s.get("items", {})
        return f"array of {type_of(items)}" if items else "array"
    if t == "object":
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in s:
            return f"map of {type_of(extra)}"
        return "object"
    return t or "any"


def n_items(n):
    return f"{n} item" if n == 1 else f"{n} items"


def scalar_constraints(s):
    out = []
    if "const" in s:
        out.append(f"exactly {code(s['const'])}")
    if "enum" in s:
        out.append("one of " + ", ".join(code(v) for v in s["enum"]))
    if "minLength" in s and "maxLength" in s:
        out.append(f"{s['minLength']}-{s['maxLength']} chars")
    elif "maxLength" in s:
        out.append(f"at most {s['maxLength']} chars")
    elif "minLength" in s:
        out.append(f"at least {s['minLength']} chars")
    if "minimum" in s and "maximum" in s:
        out.append(f"{s['minimum']}-{s['maximum']}")
    elif "minimum" in s:
        out.append(f">= {s['minimum']}")
    elif "maximum" in s:
        out.append(f"<= {s['maximum']}")
    if "pattern" in s:
        out.append(f"pattern {code(s['pattern'])}")
    return out


def constraints(s):
    out = scalar_constraints(s)
    t = s.get("type")
    if t == "array":
        if "minItems" in s and "maxItems" in s:
            out.append(f"{s['minItems']}-{n_items(s['maxItems'])}")
        elif "maxItems" in s:
            out.append(f"at most {n_items(s['maxItems'])}")
        elif "minItems" in s:
            out.append(f"at least {n_items(s['minItems'])}")
        items = s.get("items", {})
        if items.get("type") != "object":
            each = scalar_constraints(items)
            if each:
                out.append("each: " + ", ".join(each))
    if t == "object":
        if "maxProperties" in s:
            out.append(f"at most {s['maxProperties']} entries")
        keys = scalar_constraints(s.get("propertyNames", {}))
        if keys:
            out.append("keys: " + ", ".join(keys))
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in s:
            values = scalar_constraints(extra)
            if values:
                out.append("values: " + ", ".join(values))
        if "properties" in s and s.get("additionalProperties") is False:
            out.append("no other fields")
    return "; ".join(out)


def conditional_requirements(s):
    """{field: ["when `type` is `exec`", ...]} from allOf if/then blocks."""
    result = {}
    for block in s.get("allOf", []):
        cond = block.get("if", {}).get("properties", {})
        then = block.get("then", {}).get("required", [])
        parts = [f"when `{k}` is {code(v['const'])}" for k, v in cond.items() if "const" in v]
        for field in then:
            result.setdefault(field, []).extend(parts)
    return result


def status_of(s, inherited):
    m = PENDING_FIELD.search(s.get("description", ""))
    if m:
        return f"not enforced yet ({m.group(1)} issue)"
    return inherited


def clean_description(text):
    # The Status column carries the "enforced once ..." part.
    text = re.sub(r"\s*Stored and validated today; enforced once the [\w-]+ issue lands\.", "", text)
    return text.strip()


def rows(s, prefix, inherited_status):
    """Yield table rows for the properties of object schema s."""
    required = set(s.get("required", []))
    conditional = conditional_requirements(s)
    for name, prop in s.get("properties", {}).items():
        path = f"{prefix}{name}"
        if name in required:
            req = "yes"
        elif name in conditional:
            req = "yes, " + " or ".join(conditional[name])
        else:
            req = "no"
        default = code(prop["default"]) if "default" in prop else ""
        status = status_of(prop, inherited_status)
        yield [code(path), type_of(prop), req, default, constraints(prop),
               clean_description(prop.get("description", "")), status]
        if prop.get("type") == "object" and "properties" in prop:
            yield from rows(prop, path + ".", status)
        elif prop.get("type") == "array" and prop.get("items", {}).get("type") == "object":
            yield from rows(prop["items"], path + "[].", status)


def table(all_rows):
    head = ["Path", "Type", "Required", "Default", "Constraints", "Description", "Status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in all_rows:
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# the document

def render_kind(kind):
    schema = load_schema(kind["name"].lower() + ".spec.json")
    title = schema.get("title", "")
    m = PENDING_KIND.search(title)
    kind_status = f"kind not read yet ({m.group(1)} issue)" if m else "validated"
    scope = "namespaced" if kind["namespaced"] else "cluster (no `metadata.namespace`)"
    shorts = ", ".join(code(s) for s in kind["shortNames"]) or "none"
    path = (f"/v1/namespaces/{{ns}}/{kind['plural']}/{{name}}" if kind["namespaced"]
            else f"/v1/{kind['plural']}/{{name}}")
    out = [f"## {kind['name']}", "", KIND_NOTES.get(kind["name"], ""), ""]
    out += [
        "| | |", "|---|---|",
        f"| Scope | {scope} |",
        f"| Plural | `{kind['plural']}` |",
        f"| Short names | {shorts} |",
        f"| API path | `{path}` |",
        f"| Schema | `{kind['name'].lower()}.spec.json` |",
        "",
    ]
    if m:
        out += [f"> **Not read yet.** Warden stores and validates {kind['name']} resources, but "
                f"nothing uses them until the {m.group(1)} issue lands.", ""]
    rest = PENDING_KIND.sub("", title).replace("()", "")
    rest = re.sub(r"^\s*" + re.escape(kind["name"]) + r" spec\s*", "", rest).strip(" ;")
    if rest:
        out += [f"Note from the schema: {rest}.", ""]
    source, text = example_for(kind["name"])
    out += ["Example" + (f" (from `{source}`)" if source else "") + ":", "",
            "```yaml", text.rstrip("\n"), "```", ""]
    spec_rows = list(rows(schema, "spec.", kind_status))
    if spec_rows:
        out += ["Fields of `spec`" + (" (`spec` itself is optional)"
                                      if not schema.get("required") else "") + ":", "",
                table(spec_rows), ""]
    return "\n".join(out)


def render():
    kinds = read_kinds()
    envelope = load_schema("manifest.json")
    index = ["| Kind | Scope | Plural | Short names |", "|---|---|---|---|"]
    for k in kinds:
        anchor = k["name"].lower()
        index.append(f"| [{k['name']}](#{anchor}) | "
                     f"{'namespaced' if k['namespaced'] else 'cluster'} | `{k['plural']}` | "
                     + (", ".join(code(s) for s in k["shortNames"]) or "none") + " |")
    env_rows = list(rows(envelope, "", "validated"))
    doc = (INTRO.replace("{kinds_index}", "\n".join(index))
           .replace("{metadata_prose}", METADATA_PROSE)
           .replace("{envelope_table}", "Fields of the envelope:\n\n" + table(env_rows)))
    parts = [doc.rstrip("\n"), ""]
    for k in kinds:
        parts.append(render_kind(k))
    return "\n".join(parts).rstrip("\n") + "\n"


def validate_examples(kinds):
    try:
        import jsonschema
        import yaml
    except ImportError:
        return
    envelope = load_schema("manifest.json")
    validator = jsonschema.Draft202012Validator
    failures = []
    for k in kinds:
        source, text = example_for(k["name"])
        doc = yaml.safe_load(text)
        where = source or f"example of {k['name']}"
        errors = [e.message for e in validator(envelope).iter_errors(doc)]
        spec_schema = load_schema(k["name"].lower() + ".spec.json")
        errors += [e.message for e in validator(spec_schema).iter_errors(doc.get("spec", {}))]
        if doc.get("kind") != k["name"]:
            errors.append(f"kind is {doc.get('kind')}")
        if k["namespaced"] != ("namespace" in doc.get("metadata", {})):
            errors.append("metadata.namespace must be set exactly for namespaced kinds")
        failures += [f"{where}: {e}" for e in errors]
    if failures:
        sys.exit("invalid examples:\n  " + "\n  ".join(failures))


def main(argv):
    kinds = read_kinds()
    validate_examples(kinds)
    text = render()
    if "--stdout" in argv:
        sys.stdout.write(text)
    elif "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            sys.exit(f"{OUT.relative_to(ROOT)} is out of date: run python3 docs/tools/gen-manifests.py")
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
