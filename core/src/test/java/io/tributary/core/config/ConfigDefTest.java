package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefTest {

    private final ConfigDef def = new ConfigDef()
            .define("num.partitions", ConfigDef.Type.INT, 1, Validator.atLeast(1), ConfigDef.Importance.HIGH, "doc")
            .define("ratio", ConfigDef.Type.DOUBLE, 0.5, Validator.between(0, 1), ConfigDef.Importance.LOW, "doc")
            .define("flag", ConfigDef.Type.BOOLEAN, false, null, ConfigDef.Importance.LOW, "doc")
            .define("policy", ConfigDef.Type.LIST, List.of("delete"), Validator.listOf("delete", "compact"),
                    ConfigDef.Importance.LOW, "doc")
            .define("kind", ConfigDef.Type.STRING, "a", Validator.oneOf("a", "b"), ConfigDef.Importance.LOW, "doc");

    @Test
    void parsesTypedValuesTrimmed() {
        Map<String, Object> parsed = def.parse(Map.of(
                "num.partitions", " 3 ", "ratio", "0.25", "flag", "TRUE", "policy", "compact, delete,", "kind", "b"));
        assertThat(parsed).containsEntry("num.partitions", 3).containsEntry("ratio", 0.25)
                .containsEntry("flag", true).containsEntry("policy", List.of("compact", "delete"))
                .containsEntry("kind", "b");
    }

    @Test
    void invalidValueMessageNamesKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> def.parse(Map.of("num.partitions", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'abc' for 'num.partitions': must be an integer >= 1")
                .satisfies(e -> {
                    assertThat(((ConfigException) e).key()).isEqualTo("num.partitions");
                    assertThat(((ConfigException) e).value()).isEqualTo("abc");
                });
        assertThatThrownBy(() -> def.parse(Map.of("num.partitions", "0")))
                .hasMessage("Invalid value '0' for 'num.partitions': must be an integer >= 1");
        assertThatThrownBy(() -> def.parse(Map.of("ratio", "1.5")))
                .hasMessage("Invalid value '1.5' for 'ratio': must be a number between 0 and 1");
        assertThatThrownBy(() -> def.parse(Map.of("flag", "yes")))
                .hasMessage("Invalid value 'yes' for 'flag': must be true or false");
        assertThatThrownBy(() -> def.parse(Map.of("policy", "remove")))
                .hasMessage("Invalid value 'remove' for 'policy': must be a non-empty comma-separated list of delete, compact");
        assertThatThrownBy(() -> def.parse(Map.of("kind", "c")))
                .hasMessage("Invalid value 'c' for 'kind': must be one of a, b");
    }

    @Test
    void unknownKeySuggestsClosest() {
        assertThatThrownBy(() -> def.parse(Map.of("num.partiton", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unknown config 'num.partiton'; did you mean 'num.partitions'?");
        assertThatThrownBy(() -> def.parse(Map.of("something.else.entirely", "2")))
                .hasMessage("Unknown config 'something.else.entirely'");
    }

    @Test
    void nullValueIsRefused() {
        java.util.HashMap<String, String> props = new java.util.HashMap<>();
        props.put("flag", null);
        assertThatThrownBy(() -> def.parse(props)).hasMessageContaining("'flag'");
    }

    @Test
    void defaultsMustPassTheirValidator() {
        assertThatThrownBy(() -> new ConfigDef().define("x", ConfigDef.Type.INT, 0, Validator.atLeast(1),
                ConfigDef.Importance.LOW, "doc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void editDistance() {
        assertThat(KeySuggester.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggester.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggester.closest("NUM_PARTITIONS", List.of("num.partitions", "node.id"))).contains("num.partitions");
        assertThat(KeySuggester.closest("zzz", List.of("num.partitions"))).isEmpty();
    }
}
