package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.k8s.KubeObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The IDE, toolbox, database, cache and NFS access policy as pure values. */
class AddOnObjectsTest {
  private static final RecipeContext CONTEXT = new RecipeContext("dev", "devkube", Profile.DEFAULT);
  private static final NfsShare SHARE = new NfsShare("10.96.0.10", "/");

  private static String decoded(KubeObject secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getString("data[\"" + key + "\"]")),
        StandardCharsets.UTF_8);
  }

  private static List<KubeObject> all() {
    List<KubeObject> objects =
        new ArrayList<>(IdeServer.create().objects(CONTEXT, SHARE, Exposure.NODE_PORT).all());
    objects.addAll(
        IdeServer.create()
            .objects(
                new RecipeContext("dev", "devkube", Profile.CLASSIC), SHARE, Exposure.NODE_PORT)
            .all());
    objects.addAll(Toolbox.create().objects(CONTEXT, SHARE).all());
    objects.addAll(Postgres.create().objects(CONTEXT).all());
    objects.addAll(Redis.create().objects(CONTEXT).all());
    objects.addAll(WebServer.create().objects(CONTEXT, SHARE, Exposure.SSH_TUNNEL).all());
    objects.addAll(NfsServer.create().objects(CONTEXT).all());
    objects.addAll(
        SshServer.create()
            .tcpForwarding(true)
            .objects(CONTEXT, SHARE, List.of(Keys.ed25519("a@b")))
            .all());
    return objects;
  }

  @Test
  void everyObjectIsValidAgainstTheStrictSchemas() {
    Map<String, String> schemas =
        Map.of(
            "Deployment",
            "deployment-apps-v1-strict.json",
            "Service",
            "service-v1-strict.json",
            "Secret",
            "secret-v1-strict.json",
            "PersistentVolumeClaim",
            "persistentvolumeclaim-v1-strict.json",
            "ConfigMap",
            "configmap-v1-strict.json");
    for (KubeObject object : all()) {
      assertThat(
              StrictSchema.load(Objects.requireNonNull(schemas.get(object.kind()), object.kind()))
                  .validate(object.toMap()))
          .as(object.toString())
          .isEmpty();
    }
    KubeObject policy = NfsServer.create().accessPolicy(CONTEXT, List.of("10.0.0.1", "fd00::1"));
    assertThat(
            StrictSchema.fromSwagger("io.k8s.api.networking.v1.NetworkPolicy")
                .validate(policy.toMap()))
        .isEmpty();
    assertThat(
            StrictSchema.fromSwagger("io.k8s.api.networking.v1.NetworkPolicy")
                .validate(policy.set("spec.ingres", List.of()).toMap()))
        .containsExactly("$.spec.ingres: not allowed (unknown field)");
  }

  @Test
  void codeServerAsksForAPasswordFromItsSecretAndWritesTheShareAsItsOwner() {
    List<KubeObject> ide = IdeServer.create().objects(CONTEXT, SHARE, Exposure.NODE_PORT).all();
    KubeObject secret = ide.get(0);
    KubeObject server = ide.get(1);
    KubeObject service = ide.get(2);

    assertThat(secret.name()).isEqualTo("ide-password");
    assertThat(decoded(secret, "password")).hasSize(24).matches("[A-Za-z2-9]+");
    assertThat(server.getString("spec.template.spec.containers[0].image"))
        .isEqualTo("codercom/code-server:4.133.0");
    assertThat(server.getList("spec.template.spec.containers[0].args"))
        .containsSequence("--auth", "password")
        .endsWith("/home/coder/project");
    assertThat(server.getString("spec.template.spec.containers[0].env[0].name"))
        .isEqualTo("PASSWORD");
    assertThat(
            server.getString("spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name"))
        .isEqualTo("ide-password");
    assertThat(server.getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/home/coder/project");
    assertThat(server.getLong("spec.template.spec.containers[0].securityContext.runAsUser"))
        .isEqualTo(1000L);
    assertThat(server.get("spec.template.spec.containers[0].securityContext.runAsNonRoot"))
        .isEqualTo(true);
    assertThat(server.getString("spec.template.spec.containers[0].readinessProbe.httpGet.path"))
        .isEqualTo("/healthz");
    assertThat(server.getString("spec.template.spec.initContainers[0].name"))
        .isEqualTo("share-writable");
    assertThat(server.getList("spec.template.spec.initContainers[0].command").get(2).toString())
        .startsWith("touch /home/coder/project/.devkube-write-check && rm");
    assertThat(server.getLong("spec.template.spec.initContainers[0].securityContext.runAsUser"))
        .isEqualTo(1000L);
    assertThat(service.getString("spec.type")).isEqualTo("NodePort");
    assertThat(service.getLong("spec.ports[0].nodePort")).isEqualTo(30030L);
    assertThat(service.getLong("spec.ports[0].targetPort")).isEqualTo(8080L);

    KubeObject tunnelled =
        IdeServer.create().objects(CONTEXT, SHARE, Exposure.SSH_TUNNEL).all().get(2);
    assertThat(tunnelled.getString("spec.type")).isEqualTo("ClusterIP");
    assertThat(tunnelled.get("spec.ports[0].nodePort")).isNull();
  }

  @Test
  void generatedPasswordsDifferAndNoPasswordIsEverShown() {
    String given = "Sup3r-secret-pass";
    IdeServer ide = IdeServer.create().password(given);
    Postgres postgres = Postgres.create().password(given);
    Redis redis = Redis.create().password(given);

    assertThat(decoded(ide.objects(CONTEXT, SHARE, Exposure.NODE_PORT).all().get(0), "password"))
        .isEqualTo(given);
    assertThat(decoded(postgres.objects(CONTEXT).all().get(0), "password")).isEqualTo(given);
    assertThat(
            List.of(
                ide.toString(),
                postgres.toString(),
                redis.toString(),
                ide.objects(CONTEXT, SHARE, Exposure.NODE_PORT).all().get(0).toString(),
                redis.objects(CONTEXT).all().get(0).toString()))
        .allSatisfy(text -> assertThat(text).doesNotContain(given));
    List<String> generated = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      generated.add(
          decoded(
              IdeServer.create().objects(CONTEXT, SHARE, Exposure.NODE_PORT).all().get(0),
              "password"));
      generated.add(decoded(Postgres.create().objects(CONTEXT).all().get(0), "password"));
      generated.add(decoded(Redis.create().objects(CONTEXT).all().get(0), "password"));
    }
    assertThat(generated).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).hasSize(24));
    assertThatThrownBy(() -> IdeServer.create().password("short1"))
        .hasMessage(
            "the IDE password has 6 characters: use at least 12, or leave it unset to have one generated");
    assertThatThrownBy(() -> Redis.create().password("has a space in it"))
        .hasMessage(
            "the Redis password holds whitespace or a control character at index 3: use printable characters only");
  }

  @Test
  void postgresIsInternalOnlyWithItsOwnVolumeAndCredentials() {
    List<KubeObject> db =
        Postgres.create().size("5Gi").database("shop").user("app").objects(CONTEXT).all();

    assertThat(db)
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly(
            "Secret/postgres-credentials",
            "PersistentVolumeClaim/postgres-data",
            "Deployment/postgres",
            "Service/postgres");
    String password = decoded(db.get(0), "password");
    assertThat(decoded(db.get(0), "url"))
        .isEqualTo("postgresql://app:" + password + "@postgres.dev.svc.cluster.local:5432/shop");
    assertThat(db.get(0).labels()).containsEntry(RecipeContext.KEEP_WITH_DATA, "true");
    assertThat(db.get(1).getString("spec.resources.requests.storage")).isEqualTo("5Gi");
    KubeObject server = db.get(2);
    assertThat(server.getString("spec.strategy.type")).isEqualTo("Recreate");
    assertThat(server.getList("spec.template.spec.containers[0].readinessProbe.exec.command"))
        .containsExactly("pg_isready", "-h", "127.0.0.1", "-U", "app", "-d", "shop");
    assertThat(
            server.getString("spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key"))
        .isEqualTo("password");
    assertThat(server.getLong("spec.template.spec.containers[0].securityContext.runAsUser"))
        .isEqualTo(70L);
    assertThat(server.getLong("spec.template.spec.securityContext.fsGroup")).isEqualTo(70L);
    assertThat(db.get(3).getString("spec.type")).isEqualTo("ClusterIP");
    assertThat(Postgres.create().database("shop").user("app").access(CONTEXT))
        .isEqualTo(
            new DataService(
                "postgres",
                "postgres.dev.svc.cluster.local",
                5432,
                "postgresql://app@postgres.dev.svc.cluster.local:5432/shop",
                "postgres-credentials"));
    assertThatThrownBy(() -> Postgres.create().database("My-DB"))
        .hasMessage(
            "Postgres database \"My-DB\" is not a plain identifier: use 1-63 lower-case letters, digits"
                + " and _, starting with a letter or _");
  }

  @Test
  void redisRequiresItsPasswordWithoutPuttingItOnAProbeCommandLine() {
    List<KubeObject> cache = Redis.create().objects(CONTEXT).all();
    KubeObject server = cache.get(2);

    assertThat(cache)
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly(
            "Secret/redis-credentials",
            "PersistentVolumeClaim/redis-data",
            "Deployment/redis",
            "Service/redis");
    assertThat(server.getList("spec.template.spec.containers[0].command").get(2).toString())
        .contains("--requirepass \"$REDISCLI_AUTH\"")
        .contains("--appendonly yes");
    assertThat(server.getString("spec.template.spec.containers[0].env[0].name"))
        .isEqualTo("REDISCLI_AUTH");
    assertThat(server.getList("spec.template.spec.containers[0].readinessProbe.exec.command"))
        .containsExactly("sh", "-c", "redis-cli ping | grep -q PONG");
    assertThat(server.get("spec.template.spec.containers[0].securityContext.runAsNonRoot"))
        .isEqualTo(true);
    assertThat(cache.get(3).getString("spec.type")).isEqualTo("ClusterIP");
    assertThat(Redis.create().access(CONTEXT).connectionString())
        .isEqualTo("redis://redis.dev.svc.cluster.local:6379");
  }

  @Test
  void theToolboxHasTheToolsTheShareAndTheKeys() {
    List<KubeObject> toolbox = Toolbox.create().withPackages("jq").objects(CONTEXT, SHARE).all();
    KubeObject pod = toolbox.get(0);

    assertThat(pod.getList("spec.template.spec.containers[0].env"))
        .contains(
            Map.of(
                "name",
                "INSTALL_PACKAGES",
                "value",
                "git|rsync|curl|bind-tools|iputils|openssh-client|jq"));
    assertThat(pod.getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/mnt/nfs");
    assertThat(pod.getString("spec.template.spec.volumes[1].secret.secretName"))
        .isEqualTo("sshkey");
    assertThat(toolbox.get(1).getString("spec.type")).isEqualTo("ClusterIP");
    assertThat(toolbox.get(1).getLong("spec.ports[0].port")).isEqualTo(22L);
    assertThatThrownBy(() -> Toolbox.create().withPackages("rm -rf"))
        .hasMessageStartingWith("\"rm -rf\" is not an Alpine package name");
  }

  @Test
  void theNfsServerIsOnlyReachableFromTheEnvironmentAndTheNodes() {
    KubeObject policy = NfsServer.create().accessPolicy(CONTEXT, List.of("10.0.0.1", "10.0.0.2"));

    assertThat(policy.getString("spec.podSelector.matchLabels.role")).isEqualTo("nfs-server");
    assertThat(policy.getList("spec.policyTypes")).containsExactly("Ingress");
    assertThat(policy.getList("spec.ingress[0].from"))
        .containsExactly(
            Map.of("podSelector", Map.of("matchLabels", Map.of(RecipeContext.PART_OF, "devkube"))),
            Map.of("ipBlock", Map.of("cidr", "10.0.0.1/32")),
            Map.of("ipBlock", Map.of("cidr", "10.0.0.2/32")));
    assertThat(policy.getList("spec.ingress[0].ports")).hasSize(6);

    KubeObject server = NfsServer.create().objects(CONTEXT).all().get(1);
    assertThat(server.getList("spec.template.spec.initContainers[0].command").get(2))
        .isEqualTo("chown 1000:1000 /exports && chmod 2775 /exports");
    assertThat(
            server.getList("spec.template.spec.initContainers[0].securityContext.capabilities.add"))
        .containsExactly("CHOWN", "FOWNER", "FSETID");
  }

  @Test
  void sshdForwardsOnlyWhenAskedFromMountedSettingsAndKeepsOneHostKey() {
    List<String> keys = List.of(Keys.ed25519("a@b"));
    List<KubeObject> plain = SshServer.create().objects(CONTEXT, SHARE, keys).all();
    List<KubeObject> forwarding =
        SshServer.create().tcpForwarding(true).objects(CONTEXT, SHARE, keys).all();
    KubeObject server = plain.get(3);

    assertThat(server.getList("spec.template.spec.containers[0].env"))
        .contains(Map.of("name", "PUID", "value", "1000"))
        .noneMatch(e -> "DOCKER_MODS".equals(((Map<?, ?>) e).get("name")));
    assertThat(plain.get(2).getString("data[\"jump.conf\"]"))
        .contains("AllowTcpForwarding no\n", "PasswordAuthentication no\n", "GatewayPorts no\n");
    assertThat(forwarding.get(2).getString("data[\"jump.conf\"]"))
        .contains("AllowTcpForwarding local\n");
    assertThat(forwarding.get(2).getString("data[\"toolbox.conf\"]"))
        .contains("AllowTcpForwarding no\n");
    assertThat(server.getList("spec.template.spec.containers[0].volumeMounts"))
        .contains(
            Map.of(
                "name", "sshd-config", "mountPath", "/config/sshd/sshd_config.d", "readOnly", true),
            Map.of("name", "host-keys", "mountPath", "/config/ssh_host_keys", "readOnly", true));
    assertThat(server.getLong("spec.template.spec.securityContext.fsGroup")).isEqualTo(1000L);
    assertThat(server.getLong("spec.template.spec.volumes[3].secret.defaultMode")).isEqualTo(0440L);

    KubeObject hostKeys = plain.get(0);
    assertThat(hostKeys.name()).isEqualTo("sshd-host-keys");
    assertThat(hostKeys.labels()).containsEntry(RecipeContext.KEEP_WITH_DATA, "true");
    assertThat(decoded(hostKeys, "ssh_host_ed25519_key"))
        .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    assertThat(decoded(hostKeys, "ssh_host_ed25519_key.pub")).startsWith("ssh-ed25519 AAAA");
    assertThat(hostKeys.toString()).doesNotContain("PRIVATE");
  }
}
