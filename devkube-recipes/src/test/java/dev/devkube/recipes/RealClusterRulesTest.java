package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.ProgressListener;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.ApiRequest;
import dev.devkube.testkit.FakeKubernetes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a real cluster asks of a deploy and the fakes now ask too: Cilium as the CNI, a user with
 * rights in one namespace only, checks that refuse before anything is written.
 */
class RealClusterRulesTest {
  private static final String KEY = Keys.ed25519("dev@laptop");

  private static FakeKubernetes.Builder cluster() {
    return FakeKubernetes.builder()
        .storageClasses("do-block-storage")
        .podStartDelay(Duration.ofMillis(20))
        .user("dev", "dev-token", "team");
  }

  private static DevEnvironment.Builder environment(KubeClient kube) {
    return DevEnvironment.in(kube).namespace("team").sshKeys(KEY).timeout(Duration.ofSeconds(20));
  }

  /** Writes (create, apply, update, delete) other than the access reviews a preflight asks. */
  private static List<ApiRequest> writes(FakeKubernetes cluster, int from) {
    return cluster.requests().subList(from, cluster.requests().size()).stream()
        .filter(r -> !r.method().equals("GET"))
        .filter(r -> !r.path().contains("selfsubjectaccessreviews"))
        .toList();
  }

  @Test
  void onCiliumTheShareIsGuardedByACiliumPolicyThatLetsTheNodesIn() {
    try (FakeKubernetes cluster = cluster().cilium().start();
        KubeClient kube = KubeClient.connect(cluster.credentials())) {
      DevEnvironment env = environment(kube).deploy(ProgressListener.none());

      KubeObject policy =
          KubeObject.from(
              cluster
                  .object("cilium.io/v2", "CiliumNetworkPolicy", "team", "nfs-access")
                  .orElseThrow());
      assertThat(policy.getList("spec.ingress[1].fromEntities"))
          .containsExactly("host", "remote-node");
      assertThat(policy.getString("spec.ingress[0].toPorts[0].ports[0].port")).isEqualTo("2049");
      assertThat(policy.getString("spec.endpointSelector.matchLabels.role"))
          .isEqualTo("nfs-server");
      assertThat(cluster.object("networking.k8s.io/v1", "NetworkPolicy", "team", "nfs-access"))
          .isEmpty();
      assertThat(env.status().parts())
          .anyMatch(p -> p.kind().equals("CiliumNetworkPolicy") && p.exists());
      env.teardown(false);
      assertThat(cluster.objects("cilium.io/v2", "CiliumNetworkPolicy", "team")).isEmpty();
    }
  }

  @Test
  void theFakeRefusesWhatCiliumsSchemaRefuses() {
    try (FakeKubernetes cluster = cluster().cilium().start();
        KubeClient kube = KubeClient.connect(cluster.credentials())) {
      KubeObject numericPort =
          NfsServer.create()
              .ciliumAccessPolicy(new RecipeContext("team", "devkube", Profile.DEFAULT))
              .set("spec.ingress[0].toPorts[0].ports[0].port", 2049)
              .set("spec.ingress[1].fromEntities", List.of("host", "nodes"));

      assertThatThrownBy(() -> kube.resource(numericPort).apply())
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("must be a string of digits or a port name")
          .hasMessageContaining("Unsupported value: \"nodes\"");
    }
  }

  @Test
  void withoutCiliumTheKubernetesPolicyNamesTheNodesAndRestrictAccessFalseAppliesNone() {
    try (FakeKubernetes cluster = cluster().start();
        KubeClient kube = KubeClient.connect(cluster.credentials())) {
      environment(kube).deploy(ProgressListener.none());
      assertThat(cluster.object("networking.k8s.io/v1", "NetworkPolicy", "team", "nfs-access"))
          .isPresent();

      environment(kube)
          .name("open")
          .namespace("open")
          .nfs(NfsServer.create().restrictAccess(false))
          .autoNodePorts()
          .deploy(ProgressListener.none());
      assertThat(cluster.objects("networking.k8s.io/v1", "NetworkPolicy", "open")).isEmpty();
    }
  }

  @Test
  void aUserWithRightsInOneNamespaceDeploysThereWithWarningsForWhatItCannotRead() {
    try (FakeKubernetes cluster = cluster().start();
        KubeClient kube = KubeClient.connect(cluster.credentials("dev"))) {
      DevEnvironment env = environment(kube).deploy(ProgressListener.none());

      assertThat(env.warnings())
          .anySatisfy(w -> assertThat(w).startsWith("node ports checked in namespace team only"))
          .anySatisfy(w -> assertThat(w).startsWith("the nodes' addresses are unknown"))
          .anySatisfy(
              w -> assertThat(w).startsWith("storage class \"do-block-storage\" not checked"))
          .anySatisfy(w -> assertThat(w).startsWith("the NFS access policy lets no node in"));
      assertThat(cluster.object("apps/v1", "Deployment", "team", "sshd")).isPresent();
      assertThat(env.sshCommand()).isEqualTo("ssh -p 30022 dev@<no node address>");
      assertThat(DevEnvironment.in(kube).namespace("team").sshKeys(KEY).status().isReady())
          .isTrue();
    }
  }

  @Test
  void onCiliumAUserWithoutPolicyRightsIsRefusedBeforeAnyWriteAndTheDocumentedRoleLetsThemIn()
      throws Exception {
    try (FakeKubernetes cluster = cluster().cilium().start();
        KubeClient admin = KubeClient.connect(cluster.credentials());
        KubeClient kube = KubeClient.connect(cluster.credentials("dev"))) {
      int before = cluster.requests().size();

      assertThatThrownBy(() -> environment(kube).deploy(ProgressListener.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "the user may not create ciliumnetworkpolicies.cilium.io, patch"
                  + " ciliumnetworkpolicies.cilium.io in namespace team, which the deploy needs:"
                  + " nothing was changed; ask for the Role in docs/recipes.md (Least privilege),"
                  + " or deploy with NfsServer.create().restrictAccess(false)");
      assertThat(writes(cluster, before)).isEmpty();

      for (KubeObject object : KubeObject.parseYaml(documentedRole())) {
        admin.resource(object.namespace("team")).apply();
      }
      admin
          .resource(
              KubeObject.of("rbac.authorization.k8s.io/v1", "RoleBinding", "dev-devkube")
                  .namespace("team")
                  .set(
                      "roleRef",
                      Map.of(
                          "apiGroup",
                          "rbac.authorization.k8s.io",
                          "kind",
                          "Role",
                          "name",
                          "devkube"))
                  .set(
                      "subjects",
                      List.of(
                          Map.of(
                              "kind",
                              "User",
                              "name",
                              "dev",
                              "apiGroup",
                              "rbac.authorization.k8s.io"))))
          .apply();
      environment(kube).deploy(ProgressListener.none());
      assertThat(cluster.object("cilium.io/v2", "CiliumNetworkPolicy", "team", "nfs-access"))
          .isPresent();
    }
  }

  @Test
  void aNodePortAnotherNamespaceHoldsIsRefusedBeforeAnyWrite() {
    try (FakeKubernetes cluster = cluster().start();
        KubeClient kube = KubeClient.connect(cluster.credentials())) {
      kube.resource(KubeObject.of("v1", "Namespace", "other")).create();
      kube.resource(
              KubeObject.parseYaml(
                      """
          apiVersion: v1
          kind: Service
          metadata: {name: taken, namespace: other}
          spec: {type: NodePort, selector: {app: x}, ports: [{port: 22, nodePort: 30022}]}
          """)
                  .get(0))
          .create();
      int before = cluster.requests().size();

      assertThatThrownBy(() -> environment(kube).deploy(ProgressListener.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("30022 is used by Service taken in namespace other");
      assertThat(writes(cluster, before)).isEmpty();
      assertThat(cluster.objects("v1", "PersistentVolumeClaim", "team")).isEmpty();
    }
  }

  @Test
  void aChangedDatabaseUserIsRefusedBeforeAnyWriteAndPasswordsAreEncodedInUrls() {
    try (FakeKubernetes cluster = cluster().start();
        KubeClient kube = KubeClient.connect(cluster.credentials())) {
      environment(kube)
          .postgres(Postgres.create().password("p@ss:w/rd#1 x".replace(" ", "")))
          .redis(Redis.create().password("r@dis/pa:ss#"))
          .deploy(ProgressListener.none());
      assertThat(secret(cluster, "postgres-credentials", "url"))
          .isEqualTo(
              "postgresql://dev:p%40ss%3Aw%2Frd%231x@postgres.team.svc.cluster.local:5432/dev");
      assertThat(secret(cluster, "redis-credentials", "url"))
          .isEqualTo("redis://:r%40dis%2Fpa%3Ass%23@redis.team.svc.cluster.local:6379");
      int before = cluster.requests().size();

      assertThatThrownBy(
              () ->
                  environment(kube)
                      .postgres(Postgres.create().user("app").password("p@ss:w/rd#1x"))
                      .deploy(ProgressListener.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Postgres in namespace team was made with user dev and database dev (Secret"
                  + " postgres-credentials), and its data keeps them: deploy with"
                  + " Postgres.create().user(\"dev\").database(\"dev\"), or tear the environment"
                  + " down with its data to start over");
      assertThat(writes(cluster, before)).isEmpty();
    }
  }

  private static String secret(FakeKubernetes cluster, String name, String key) {
    KubeObject secret = KubeObject.from(cluster.object("v1", "Secret", "team", name).orElseThrow());
    return new String(
        Base64.getDecoder().decode(secret.getString("data." + key)), StandardCharsets.UTF_8);
  }

  /** The Role docs/recipes.md gives under "Least privilege". */
  static String documentedRole() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "recipes.md"));
    Matcher role =
        Pattern.compile("<!-- devkube-role -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(role.find()).as("docs/recipes.md has the Role after <!-- devkube-role -->").isTrue();
    return role.group(1);
  }
}
