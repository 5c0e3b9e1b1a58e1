package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    private final ManifestReader reader = new ManifestReader(InputStream.nullInputStream());

    private static String tool(String name) {
        return """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: %s
                spec:
                  type: exec
                """.formatted(name);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static List<String> problems(CliException e) {
        return e.lines();
    }

    @Test
    void readsMultiDocumentYamlInOrderAndSkipsEmptyDocuments() throws IOException {
        Path file = write("tools.yaml", "# header comment\n" + tool("a") + "---\n# only a comment\n---\n" + tool("b") + "---\n");

        List<Manifest> manifests = reader.read(List.of(file.toString()), false, "applied");

        assertThat(manifests).extracting(Manifest::name).containsExactly("a", "b");
        assertThat(manifests).extracting(Manifest::origin)
                .containsExactly(file + " (document 1)", file + " (document 3)");
        assertThat(manifests.getFirst().kind()).isEqualTo(Kinds.TOOL);
        assertThat(manifests.getFirst().body().path("spec").path("type").asString()).isEqualTo("exec");
    }

    @Test
    void aSyntaxErrorNamesTheFileAndTheDocument() throws IOException {
        Path file = write("bad.yaml", tool("a") + "---\n" + tool("b") + "---\nkind: Tool\nmetadata: {name: [\n");

        assertThatThrownBy(() -> reader.read(List.of(file.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(WardenCli.ERROR);
                    assertThat(problems(e).getFirst()).startsWith(file + " (document 3): invalid YAML: ");
                    assertThat(problems(e)).last().isEqualTo("nothing was applied");
                });
    }

    @Test
    void structuralProblemsAreAllReportedWithFileAndDocument() throws IOException {
        Path file = write("mixed.yaml", String.join("---\n",
                tool("ok"),
                "just a string\n",
                "metadata:\n  name: no-kind\n",
                "kind: Tool\nmetadata: {}\n",
                "kind: Gadget\nmetadata: {name: g}\n",
                "kind: tool\nmetadata: {name: t}\n",
                "kind: Tool\nmetadata: {name: Not_Valid}\n",
                "kind: Role\nmetadata: {name: r, namespace: demo}\n"));

        // The registry grows (ClusterRoleBinding was added later); the message lists whatever it holds.
        String knownKinds = Kinds.all().stream().map(Kind::name).collect(Collectors.joining(", "));
        assertThatThrownBy(() -> reader.read(List.of(file.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(problems(e)).containsExactly(
                        file + " (document 2): expected a manifest (an object with apiVersion, kind, metadata and spec), found string",
                        "error: " + file + " (document 3): missing kind",
                        "error: " + file + " (document 4): missing metadata.name",
                        "error: " + file + " (document 5): unknown kind \"Gadget\" (known kinds: " + knownKinds + ")",
                        "error: " + file + " (document 6): unknown kind \"tool\"; did you mean \"Tool\"? (known kinds: " + knownKinds + ")",
                        "error: " + file + " (document 7): tool/Not_Valid: metadata.name is not a valid name (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
                        "error: " + file + " (document 8): role/r: Role is not namespaced; remove metadata.namespace",
                        "nothing was applied"));
    }

    @Test
    void duplicateKeysAreAnErrorNotLastOneWins() throws IOException {
        Path file = write("dup.yaml", "kind: Tool\nmetadata: {name: a}\nspec: {type: exec}\nspec: {type: http}\n");

        assertThatThrownBy(() -> reader.read(List.of(file.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e ->
                        assertThat(problems(e).getFirst()).startsWith(file + " (document 1): invalid YAML: Duplicate Object property \"spec\""));
    }

    @Test
    void jsonArraysAndListsAreExpandedIntoItems() throws IOException {
        Path array = write("array.json", "[" + json("a") + "," + json("b") + "]");
        Path list = write("list.json", "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"ToolList\",\"metadata\":{},\"items\":[" + json("c") + "]}");
        Path generic = write("generic.yaml", "kind: List\nitems:\n  - kind: Tool\n    metadata: {name: d}\n  - 42\n");

        assertThatThrownBy(() -> reader.read(List.of(array.toString(), list.toString(), generic.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(problems(e).getFirst())
                        .isEqualTo(generic + " (document 1, item 2): expected a manifest (an object with apiVersion, kind, metadata and spec), found number"));

        List<Manifest> manifests = reader.read(List.of(array.toString(), list.toString()), false, "applied");
        assertThat(manifests).extracting(Manifest::origin).containsExactly(
                array + " (document 1, item 1)", array + " (document 1, item 2)", list + " (document 1, item 1)");
    }

    @Test
    void invalidJsonNamesTheFile() throws IOException {
        Path file = write("broken.json", "{\"kind\": \"Tool\",, }");

        assertThatThrownBy(() -> reader.read(List.of(file.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e ->
                        assertThat(problems(e).getFirst()).startsWith(file + " (document 1): invalid JSON: ").contains("line 1"));
    }

    @Test
    void directoriesAreReadSortedByNameAndOnlyRecursivelyWhenAsked() throws IOException {
        write("b.yaml", tool("from-b"));
        write("a.yml", tool("from-a"));
        write("c.json", json("from-c"));
        write("notes.txt", "kind: Tool\nmetadata: {name: ignored}\n");
        write("sub/d.yaml", tool("from-sub"));

        assertThat(reader.read(List.of(dir.toString()), false, "applied"))
                .extracting(Manifest::name).containsExactly("from-a", "from-b", "from-c");
        assertThat(reader.read(List.of(dir.toString()), true, "applied"))
                .extracting(Manifest::name).containsExactly("from-a", "from-b", "from-c", "from-sub");
    }

    @Test
    void stdinIsReadOnceAsYaml() {
        ManifestReader fromStdin = new ManifestReader(new ByteArrayInputStream((tool("x") + "---\n" + tool("y")).getBytes(StandardCharsets.UTF_8)));

        assertThat(fromStdin.read(List.of("-"), false, "applied")).extracting(Manifest::origin)
                .containsExactly("<stdin> (document 1)", "<stdin> (document 2)");
        assertThatThrownBy(() -> fromStdin.read(List.of("-", "-"), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(WardenCli.USAGE));
    }

    @Test
    void aMissingFileIsReported() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> reader.read(List.of(missing.toString()), false, "applied"))
                .isInstanceOfSatisfying(CliException.class, e ->
                        assertThat(problems(e).getFirst()).isEqualTo(missing + ": no such file or directory"));
    }

    @Test
    void namespaceComesFromManifestThenFlagThenDefault() throws IOException {
        Path file = write("ns.yaml", "kind: Tool\nmetadata: {name: a, namespace: team}\n---\nkind: Tool\nmetadata: {name: b}\n---\nkind: Namespace\nmetadata: {name: team}\n");
        List<Manifest> m = reader.read(List.of(file.toString()), false, "applied");

        assertThat(m.get(0).ref(null, "ctx").path()).isEqualTo("/v1/namespaces/team/tools/a");
        assertThat(m.get(0).ref("team", "ctx").path()).isEqualTo("/v1/namespaces/team/tools/a");
        assertThat(m.get(1).ref("flag", "ctx").path()).isEqualTo("/v1/namespaces/flag/tools/b");
        assertThat(m.get(1).ref(null, "ctx").path()).isEqualTo("/v1/namespaces/ctx/tools/b");
        assertThat(m.get(2).ref("flag", "ctx").path()).isEqualTo("/v1/namespaces/team");
        assertThatThrownBy(() -> m.get(0).ref("other", "ctx"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.lines().getFirst())
                        .isEqualTo(file + " (document 1): the namespace from the manifest (\"team\") does not match --namespace \"other\"; pass --namespace=team or remove metadata.namespace"));
    }

    private static String json(String name) {
        return "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Tool\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"type\":\"exec\"}}";
    }
}
