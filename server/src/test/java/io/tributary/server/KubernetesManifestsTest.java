package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.config.ClusterConfigDef;
import io.tributary.core.config.Listener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in k8s/ agree with the broker: every setting they make is a real config key with a valid value,
 * the container ports are the ports the broker listens on, probes and Services point at ports and paths that
 * exist, the headless Service finds the pods, and the data volume is where the logs are written.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("../k8s");
    /** What the downward API would give pod tributary-1 in namespace "streaming". */
    private static final Map<String, String> POD_FIELDS = Map.of(
            "metadata.name", "tributary-1",
            "metadata.namespace", "streaming",
            "metadata.labels['apps.kubernetes.io/pod-index']", "1",
            "status.podIP", "10.1.2.3");

    private static final List<JsonNode> DOCUMENTS = new ArrayList<>();
    private static JsonNode statefulSet;
    private static JsonNode pod;
    private static JsonNode container;
    private static Map<String, String> env;
    private static Map<String, String> configFile;
    private static BrokerConfig config;

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc != null && !doc.isEmpty()) {
                            DOCUMENTS.add(doc);
                        }
                    }
                }
            }
        }
        statefulSet = only("StatefulSet");
        pod = statefulSet.at("/spec/template/spec");
        assertThat(pod.get("containers")).hasSize(1);
        container = pod.get("containers").get(0);
        env = resolvedEnv(container);
        configFile = configMapProperties();
        Map<String, String> effective = new LinkedHashMap<>(configFile);
        effective.putAll(ConfigLoader.fromEnv(env));
        config = BrokerConfig.parse(effective);
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = only("Kustomization");
        Set<String> listed = new TreeSet<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> all = Files.list(K8S)) {
            all.map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).forEach(files::add);
        }
        assertThat(listed).isEqualTo(files);
        for (String kind : List.of("StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget", "ServiceAccount",
                "Role", "RoleBinding")) {
            assertThat(ofKind(kind)).as(kind).isNotEmpty();
        }
    }

    @Test
    void everySettingIsARealConfigKeyWithAValidValue() {
        Set<String> keys = BrokerConfigDef.DEFINITION.names();
        assertThat(configFile).isNotEmpty();
        assertThat(configFile.keySet()).allSatisfy(k -> assertThat(keys).as("ConfigMap key %s", k).contains(k));
        List<String> tributaryVars = env.keySet().stream().filter(n -> n.startsWith(ConfigLoader.ENV_PREFIX)).toList();
        assertThat(tributaryVars).isNotEmpty();
        assertThat(ConfigLoader.unmatchedEnv(env)).as("TRIBUTARY_* variables naming no config key").isEmpty();
        // BrokerConfig.parse in load() accepted the effective configuration; per pod it comes out as:
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.value(ClusterConfigDef.CLUSTER_HOST)).isEqualTo("10.1.2.3");
        assertThat(config.advertisedListeners()).extracting(Listener::host)
                .containsExactly("tributary-1.tributary-headless.streaming.svc.cluster.local");
        assertThat(config.listeners()).allSatisfy(l -> assertThat(l.host()).isEqualTo("0.0.0.0"));
        assertThat(config.mqttListeners()).allSatisfy(l -> assertThat(l.host()).isEqualTo("0.0.0.0"));
        assertThat(config.httpListeners()).allSatisfy(l -> assertThat(l.host()).isEqualTo("0.0.0.0"));
        assertThat(config.value(ClusterConfigDef.CLUSTER_KUBERNETES_SERVICE_DNS))
                .isEqualTo(headlessService().at("/metadata/name").asText() + ".streaming.svc.cluster.local");
        assertThat(((Number) config.value("default.replication.factor")).intValue()).isEqualTo(3);
        assertThat(statefulSet.at("/spec/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void theConfigMapIsMountedAndPassedAsTheConfigFile() {
        JsonNode configMapVolume = volumes().stream().filter(v -> v.has("configMap")).findFirst().orElseThrow();
        assertThat(configMapVolume.at("/configMap/name").asText())
                .isEqualTo(only("ConfigMap").at("/metadata/name").asText());
        String mountPath = mountOf(configMapVolume.get("name").asText());
        assertThat(container.get("args")).hasSize(1);
        String file = container.get("args").get(0).asText();
        assertThat(file).startsWith(mountPath + "/");
        assertThat(only("ConfigMap").at("/data").has(file.substring(mountPath.length() + 1))).isTrue();
    }

    @Test
    void containerPortsAreTheBrokersListenersAndTheClusterPort() {
        Map<String, Integer> expected = new HashMap<>();
        config.listeners().forEach(l -> expected.put("kafka", l.port()));
        config.mqttListeners().forEach(l -> expected.put("mqtt", l.port()));
        config.httpListeners().forEach(l -> expected.put("http", l.port()));
        config.connectListeners().forEach(l -> expected.put("connect", l.port()));
        assertThat(config.connectListeners()).as("every broker is a connector worker").hasSize(1);
        expected.put("cluster", (Integer) config.value(ClusterConfigDef.CLUSTER_PORT));
        assertThat(config.listeners()).hasSize(1);
        assertThat(containerPorts()).isEqualTo(expected);
    }

    @Test
    void probesUseTheHttpPortAndPathsTheGatewayServes() throws IOException {
        int httpPort = config.httpListeners().get(0).port();
        Set<String> servedPaths = new HashSet<>();
        try (InputStream in = getClass().getResourceAsStream("/io/tributary/gateway/http/openapi.json")) {
            new ObjectMapper().readTree(in).get("paths").fieldNames().forEachRemaining(servedPaths::add);
        }
        Map<String, String> paths = new HashMap<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            if (get.isMissingNode()) {
                assertThat(probe).as("only the startup probe is optional").isEqualTo("startupProbe");
                continue;
            }
            assertThat(portNumber(get.get("port"))).as("%s port", probe).isEqualTo(httpPort);
            assertThat(servedPaths).as("%s path", probe).contains(get.get("path").asText());
            paths.put(probe, get.get("path").asText());
        }
        assertThat(paths).containsEntry("livenessProbe", "/health/live").containsEntry("readinessProbe", "/health/ready");
    }

    @Test
    void servicesTargetContainerPortsAndSelectThePods() {
        Map<String, Integer> ports = containerPorts();
        for (JsonNode service : ofKind("Service")) {
            String name = service.at("/metadata/name").asText();
            assertSelectsPods(service.at("/spec/selector"), "Service " + name);
            for (JsonNode port : service.at("/spec/ports")) {
                int target = portNumber(port.has("targetPort") ? port.get("targetPort") : port.get("port"));
                assertThat(ports.values()).as("Service %s port %s targets a container port", name, port).contains(target);
                assertThat(port.get("port").asInt()).as("Service %s exposes the broker's own port", name).isEqualTo(target);
            }
        }
        Set<Integer> clientPorts = new HashSet<>();
        ofKind("Service").stream().filter(s -> !s.at("/spec/clusterIP").asText().equals("None"))
                .forEach(s -> s.at("/spec/ports").forEach(p -> clientPorts.add(p.get("port").asInt())));
        assertThat(clientPorts).contains(ports.get("kafka"), ports.get("mqtt"), ports.get("http"));
    }

    @Test
    void theHeadlessServiceIsHeadlessAndGivesThePodsTheirNames() {
        JsonNode headless = headlessService();
        String name = headless.at("/metadata/name").asText();
        assertThat(statefulSet.at("/spec/serviceName").asText()).isEqualTo(name);
        assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertSelectsPods(headless.at("/spec/selector"), "the headless Service");
        Set<Integer> ports = new HashSet<>();
        headless.at("/spec/ports").forEach(p -> ports.add(portNumber(p.get("targetPort"))));
        assertThat(ports).contains(containerPorts().get("kafka"), containerPorts().get("cluster"));
        assertThat(statefulSet.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
        assertSelectsPods(statefulSet.at("/spec/selector/matchLabels"), "the StatefulSet");
        assertThat(envSource("TRIBUTARY_NODE_ID").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(envSource("TRIBUTARY_CLUSTER_HOST").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("status.podIP");
    }

    @Test
    void eachPodWritesItsLogsToItsOwnVolume() {
        assertThat(statefulSet.at("/spec/volumeClaimTemplates")).hasSize(1);
        JsonNode claim = statefulSet.at("/spec/volumeClaimTemplates/0");
        assertThat(claim.at("/spec/accessModes").toString()).contains("ReadWriteOnce");
        String dataMount = mountOf(claim.at("/metadata/name").asText());
        assertThat(config.logDirs()).isNotEmpty()
                .allSatisfy(dir -> assertThat(dir.normalize()).isEqualTo(Path.of(dataMount)));
        assertThat(dataMount).as("the image's data directory").isEqualTo("/var/lib/tributary/data");
    }

    @Test
    void shutdownSecurityResourcesDisruptionsAndDiscoveryRights() {
        long controlledShutdownMs = (Long) config.value(ClusterConfigDef.CONTROLLED_SHUTDOWN_TIMEOUT_MS);
        assertThat(pod.get("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(60)
                .isGreaterThan(controlledShutdownMs / 1000);
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(1000);
        assertThat(pod.at("/securityContext/fsGroup").asInt()).isZero();
        assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();

        JsonNode pdb = only("PodDisruptionBudget");
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertSelectsPods(pdb.at("/spec/selector/matchLabels"), "the PodDisruptionBudget");

        String account = pod.get("serviceAccountName").asText();
        assertThat(only("ServiceAccount").at("/metadata/name").asText()).isEqualTo(account);
        JsonNode binding = only("RoleBinding");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
        JsonNode role = only("Role");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
        Set<String> readable = new HashSet<>();
        for (JsonNode rule : role.at("/rules")) {
            List<String> verbs = new ArrayList<>();
            rule.get("verbs").forEach(v -> verbs.add(v.asText()));
            if (verbs.containsAll(List.of("get", "list"))) {
                rule.get("resources").forEach(r -> readable.add(r.asText()));
            }
        }
        assertThat(readable).contains("endpoints", "pods", "services", "endpointslices");
    }

    // ---- helpers

    private static List<JsonNode> ofKind(String kind) {
        return DOCUMENTS.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static JsonNode only(String kind) {
        List<JsonNode> docs = ofKind(kind);
        assertThat(docs).as("one %s", kind).hasSize(1);
        return docs.get(0);
    }

    private static JsonNode headlessService() {
        List<JsonNode> headless = ofKind("Service").stream()
                .filter(s -> s.at("/spec/clusterIP").asText().equals("None")).toList();
        assertThat(headless).as("one headless Service").hasSize(1);
        return headless.get(0);
    }

    private static List<JsonNode> volumes() {
        List<JsonNode> list = new ArrayList<>();
        pod.path("volumes").forEach(list::add);
        return list;
    }

    private static String mountOf(String volume) {
        for (JsonNode mount : container.get("volumeMounts")) {
            if (mount.get("name").asText().equals(volume)) {
                return mount.get("mountPath").asText();
            }
        }
        throw new AssertionError("Volume " + volume + " is not mounted");
    }

    /** Container ports by name. */
    private static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new HashMap<>();
        container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
        return ports;
    }

    /** A port given by number or by the name of a container port. */
    private static int portNumber(JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        Integer byName = containerPorts().get(port.asText());
        assertThat(byName).as("container port named %s", port.asText()).isNotNull();
        return byName;
    }

    private static void assertSelectsPods(JsonNode selector, String what) {
        JsonNode labels = statefulSet.at("/spec/template/metadata/labels");
        assertThat(selector.isEmpty()).as("%s has a selector", what).isFalse();
        selector.fields().forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText())
                .as("%s selects the pods by %s", what, e.getKey()).isEqualTo(e.getValue().asText()));
    }

    private static JsonNode envSource(String name) {
        for (JsonNode var : container.get("env")) {
            if (var.get("name").asText().equals(name)) {
                return var;
            }
        }
        throw new AssertionError("No env var " + name);
    }

    /** The container's environment as the kubelet would set it for {@link #POD_FIELDS}, $(VAR) expanded. */
    private static Map<String, String> resolvedEnv(JsonNode container) {
        Map<String, String> resolved = new LinkedHashMap<>();
        Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (JsonNode var : container.get("env")) {
            String name = var.get("name").asText();
            String value;
            if (var.has("valueFrom")) {
                String field = var.at("/valueFrom/fieldRef/fieldPath").asText();
                assertThat(POD_FIELDS).as("env %s comes from a known pod field", name).containsKey(field);
                value = POD_FIELDS.get(field);
            } else {
                Matcher m = reference.matcher(var.path("value").asText());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    assertThat(resolved).as("%s refers to $(%s), defined before it", name, m.group(1))
                            .containsKey(m.group(1));
                    m.appendReplacement(out, Matcher.quoteReplacement(resolved.get(m.group(1))));
                }
                m.appendTail(out);
                value = out.toString();
            }
            resolved.put(name, value);
        }
        return resolved;
    }

    private static Map<String, String> configMapProperties() throws IOException {
        JsonNode data = only("ConfigMap").get("data");
        assertThat(data.size()).isEqualTo(1);
        Properties props = new Properties();
        props.load(new StringReader(data.elements().next().asText()));
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }
}
