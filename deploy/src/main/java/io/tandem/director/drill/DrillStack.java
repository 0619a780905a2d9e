package io.tandem.director.drill;

import io.tandem.core.lab.Command;
import io.tandem.director.run.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running drill stack as the drills see it from the host: its containers
 * (found by compose's project and service labels, so any project name works),
 * what they can be made to suffer ({@code docker kill}, {@code pause},
 * {@code network disconnect} ...), and what can be read from them: each
 * director's state from its admin {@code /status}, the client's report, and
 * Prometheus's answers.
 */
public final class DrillStack implements AutoCloseable {
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(60);
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";

    private final String project;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final PrometheusClient prometheus = new PrometheusClient(prometheusUrl());

    private DrillStack(String project) {
        this.project = project;
    }

    /** The stack of compose project {@code project}; null finds the one project that has a director-a. */
    public static DrillStack find(String project) throws IOException {
        if (project != null) {
            return new DrillStack(project);
        }
        String out = docker("ps", "-a", "--filter", "label=" + SERVICE_LABEL + "=director-a", "--format",
                "{{.Label \"" + PROJECT_LABEL + "\"}}").stdout();
        List<String> projects = out.lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList();
        if (projects.size() != 1) {
            throw new IOException(projects.isEmpty()
                    ? "no drill stack is running (expected: docker-compose up -d in the repository first)"
                    : "several drill stacks: " + projects + " (expected: --project NAME)");
        }
        return new DrillStack(projects.getFirst());
    }

    public String project() {
        return project;
    }

    /** The id of the container of {@code service}, running or not. */
    public String container(String service) throws IOException {
        String out = docker("ps", "-aq", "--filter", "label=" + PROJECT_LABEL + "=" + project, "--filter",
                "label=" + SERVICE_LABEL + "=" + service).stdout().strip();
        if (out.isEmpty() || out.contains("\n")) {
            throw new IOException("project " + project + ": " + (out.isEmpty() ? "no" : "several")
                    + " containers for service " + service + " (expected: one)");
        }
        return out;
    }

    /** The name of compose network {@code network} of this project (compose prefixes the project). */
    public String network(String network) throws IOException {
        String out = docker("network", "ls", "-q", "--filter", "label=com.docker.compose.network=" + network,
                "--filter", "label=" + PROJECT_LABEL + "=" + project, "--format", "{{.Name}}").stdout().strip();
        if (out.isEmpty() || out.contains("\n")) {
            throw new IOException("project " + project + ": no single network " + network + " (found: '" + out + "')");
        }
        return out;
    }

    public void kill(String service) throws IOException {
        docker("kill", container(service));
    }

    public void kill(String service, String signal) throws IOException {
        docker("kill", "--signal", signal, container(service));
    }

    public void start(String service) throws IOException {
        docker("start", container(service));
    }

    /** {@code docker stop}: SIGTERM, then SIGKILL after {@code grace}. */
    public void stop(String service, Duration grace) throws IOException {
        Command.run(List.of("docker", "stop", "-t", Long.toString(grace.toSeconds()), container(service)),
                grace.plus(DOCKER_TIMEOUT)).orThrow();
    }

    public void pause(String service) throws IOException {
        docker("pause", container(service));
    }

    public void unpause(String service) throws IOException {
        docker("unpause", container(service));
    }

    public void disconnect(String service, String network) throws IOException {
        docker("network", "disconnect", network(network), container(service));
    }

    public void connect(String service, String network, String address) throws IOException {
        docker("network", "connect", "--ip", address, network(network), container(service));
    }

    /** "running", "paused", "exited" ... */
    public String containerState(String service) throws IOException {
        return docker("inspect", "-f", "{{.State.Status}}", container(service)).stdout().strip();
    }

    /** Runs a command in the service's container; its result, whatever the exit code. */
    public Command.Result exec(String service, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", container(service)));
        cmd.addAll(List.of(argv));
        return Command.run(cmd, DOCKER_TIMEOUT);
    }

    /** Writes {@code content} to {@code path} in the service's container. */
    public void write(String service, String path, String content) throws IOException {
        Process p = new ProcessBuilder("docker", "exec", "-i", container(service), "sh", "-c", "cat > " + path)
                .redirectErrorStream(true).start();
        try (var out = p.getOutputStream()) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        try {
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("writing " + path + " in " + service + ": " + said.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The service's log since {@code sinceMillis} (to the second). */
    public String logsSince(String service, long sinceMillis) throws IOException {
        Command.Result r = Command.run(List.of("docker", "logs", "--since", Long.toString(sinceMillis / 1000),
                container(service)), DOCKER_TIMEOUT);
        return r.stdout() + r.stderr();
    }

    /** The director's admin /status document, or empty when it does not answer. */
    public Optional<Map<?, ?>> status(String service) {
        try {
            Object doc = JsonReader.read(get("http://" + StackAddresses.directorAddress(service) + ":"
                    + StackAddresses.ADMIN_PORT + "/status", StackAddresses.ADMIN_TOKEN));
            return doc instanceof Map<?, ?> m ? Optional.of(m) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The director's forwarding state from its admin /status: MASTER, BACKUP, or DOWN when it does not answer. */
    public String directorState(String service) {
        return status(service).map(m -> m.get("state") instanceof String s ? s : "UNKNOWN").orElse("DOWN");
    }

    /**
     * A real server's health and weight as {@code director} reports them ("up 1", "down 0"), or
     * "unknown" when the director does not answer or does not list it.
     */
    public String realServerHealth(String director, String address) {
        Optional<Map<?, ?>> status = status(director);
        if (status.isEmpty() || !(status.get().get("services") instanceof List<?> services)) {
            return "unknown";
        }
        for (Object s : services) {
            for (Object r : (List<?>) ((Map<?, ?>) s).get("real_servers")) {
                Map<?, ?> rs = (Map<?, ?>) r;
                if (address.equals(rs.get("address"))) {
                    return rs.get("health") + " " + rs.get("weight");
                }
            }
        }
        return "unknown";
    }

    /**
     * The director's VRRP instance states from its admin /metrics ({@code keepalived_vrrp_state}: INIT, BACKUP,
     * MASTER, FAULT), "DOWN" when it does not answer.
     */
    public String vrrpState(String service) {
        String metrics;
        try {
            metrics = metrics(service);
        } catch (IOException e) {
            return "DOWN";
        }
        List<String> states = metrics.lines().filter(l -> l.startsWith("keepalived_vrrp_state{"))
                .map(l -> switch ((int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))) {
                    case 0 -> "INIT";
                    case 1 -> "BACKUP";
                    case 2 -> "MASTER";
                    case 3 -> "FAULT";
                    default -> "UNKNOWN";
                }).toList();
        return states.isEmpty() ? "NONE" : String.join(",", states);
    }

    /** The director's admin /metrics, as Prometheus scrapes it. */
    public String metrics(String service) throws IOException {
        return get("http://" + StackAddresses.directorAddress(service) + ":" + StackAddresses.ADMIN_PORT + "/metrics",
                StackAddresses.ADMIN_TOKEN);
    }

    /** The value of the series {@code series} (name and labels exactly as scraped) on the director, or -1. */
    public double sample(String service, String series) throws IOException {
        return metrics(service).lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).strip())).findFirst().orElse(-1);
    }

    /** The directors that say they are MASTER. */
    public List<String> masters() {
        return StackAddresses.DIRECTORS.stream().filter(d -> directorState(d).equals("MASTER")).toList();
    }

    /** The client's report of the window since {@code sinceMillis}. */
    public ClientReport clientReport(long sinceMillis) throws IOException {
        Object doc = JsonReader.read(get("http://" + StackAddresses.CLIENT + ":" + StackAddresses.CLIENT_REPORT_PORT
                + "/report?since=" + sinceMillis, null));
        return ClientReport.from(doc);
    }

    /** One instant query to the stack's Prometheus: the series' labels and values. */
    public List<PromSample> query(String promql) throws IOException {
        return prometheus.query(promql);
    }

    /** The stack's Prometheus, on its lan address. */
    public static String prometheusUrl() {
        return "http://" + StackAddresses.PROMETHEUS + ":" + StackAddresses.PROMETHEUS_PORT;
    }

    private String get(String url, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + ": HTTP " + response.statusCode() + " (expected: 200): "
                        + response.body().strip());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Command.Result docker(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Command.run(argv, DOCKER_TIMEOUT).orThrow();
    }

    @Override
    public void close() {
        http.close();
        prometheus.close();
    }
}
