package io.warden.bench;

import io.warden.api.Kinds;
import io.warden.core.manifest.ManifestValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What schema validation adds to every apply: parsing a Tool manifest and validating it against
 * the envelope, the Tool spec schema and (for its inputSchema) the 2020-12 meta-schema, next to
 * the peer of parsing alone with the same Jackson mapper.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ManifestValidationBench {

    private static final String TOOL = """
            {"apiVersion":"warden.dev/v1","kind":"Tool",
             "metadata":{"name":"git-clone","namespace":"demo","labels":{"team":"platform"}},
             "spec":{"description":"Clone a repository","type":"exec",
                     "exec":{"command":["git","clone","--depth","1","{{args.url}}","/work/repo"]},
                     "inputSchema":{"type":"object","required":["url"],"additionalProperties":false,
                                    "properties":{"url":{"type":"string","pattern":"^https://"}}},
                     "timeoutSeconds":120,"risk":"medium"}}""";

    private final JsonMapper json = JsonMapper.builder().build();
    private byte[] body;
    private ManifestValidator validator;

    @Setup
    public void setUp() {
        body = TOOL.getBytes(StandardCharsets.UTF_8);
        validator = ManifestValidator.load();
        if (!validator.validate(Kinds.TOOL, json.readTree(body)).isEmpty()) {
            throw new IllegalStateException("benchmark manifest must be valid");
        }
    }

    /** Peer: what any JSON API pays anyway. */
    @Benchmark
    public JsonNode parseOnly() {
        return json.readTree(body);
    }

    /** Warden: parse, then validate against the kind's schemas. */
    @Benchmark
    public List<?> parseAndValidate() {
        return validator.validate(Kinds.TOOL, json.readTree(body));
    }
}
