package dev.devkube.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The objects the recipes produce, as pure values: no cluster involved. */
class RecipeObjectsTest {
  private static final RecipeContext CONTEXT = new RecipeContext("dev", "devkube", Profile.DEFAULT);
  private static final NfsShare SHARE = new NfsShare("10.96.0.10", "/");
  private static final List<String> KEYS =
      List.of(Keys.ed25519("a@b"), Keys.key("ssh-rsa", 64, "c@d"));

  private static List<KubeObject> all(RecipeContext context) {
    List<KubeObject> objects = new ArrayList<>(NfsServer.create().objects(context).all());
    objects.addAll(SshServer.create().objects(context, SHARE, KEYS).all());
    objects.addAll(WebServer.create().objects(context, SHARE).all());
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
    for (RecipeContext context :
        List.of(CONTEXT, new RecipeContext("default", "devkube", Profile.CLASSIC))) {
      for (KubeObject object : all(context)) {
        assertThat(
                StrictSchema.load(Objects.requireNonNull(schemas.get(object.kind()), object.kind()))
                    .validate(object.toMap()))
            .as(object + " in " + context.profile().name())
            .isEmpty();
      }
    }
  }

  @Test
  void theSchemaCheckCatchesAMisspeltField() {
    KubeObject wrong = NfsServer.create().objects(CONTEXT).all().get(1).set("spec.replica", 1);

    assertThat(StrictSchema.load("deployment-apps-v1-strict.json").validate(wrong.toMap()))
        .containsExactly("$.spec.replica: not allowed (unknown field)");
  }

  @Test
  void namesKindsAndOrderFollowTheOriginal() {
    assertThat(all(CONTEXT))
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly(
            "PersistentVolumeClaim/nfs-pvc",
            "Deployment/nfs",
            "Service/nfs-service",
            "Secret/sshd-host-keys",
            "Secret/sshkey",
            "ConfigMap/sshd-config",
            "Deployment/sshd",
            "Service/sshd-service",
            "Deployment/nginx",
            "Service/web-service");
    assertThat(all(CONTEXT))
        .allSatisfy(
            o -> {
              assertThat(o.apiVersion()).isNotNull();
              assertThat(o.toJson()).doesNotContain("api_version");
              assertThat(o.namespace()).isEqualTo("dev");
              assertThat(o.labels())
                  .containsEntry("app.kubernetes.io/managed-by", "devkube")
                  .containsEntry("app.kubernetes.io/part-of", "devkube");
            });
  }

  @Test
  void theNfsServerIsARecreatedPrivilegedServerWithAStableService() {
    List<KubeObject> nfs = NfsServer.create().size("5Gi").objects(CONTEXT).all();
    KubeObject claim = nfs.get(0);
    KubeObject server = nfs.get(1);
    KubeObject service = nfs.get(2);

    assertThat(claim.getString("spec.resources.requests.storage")).isEqualTo("5Gi");
    assertThat(claim.getString("spec.storageClassName")).isEqualTo("do-block-storage");
    assertThat(claim.getList("spec.accessModes")).containsExactly("ReadWriteOnce");
    assertThat(server.getString("spec.strategy.type")).isEqualTo("Recreate");
    assertThat(server.getString("spec.template.spec.containers[0].image"))
        .isEqualTo("registry.k8s.io/e2e-test-images/volume/nfs:1.4");
    assertThat(server.get("spec.template.spec.containers[0].securityContext.privileged"))
        .isEqualTo(true);
    // The image's own entrypoint copies its index.html over the export's on every start
    // (docs/images.md): the recipe's start-up writes nothing into the export.
    List<Object> command = server.getList("spec.template.spec.containers[0].command");
    assertThat(command).hasSize(3).startsWith("/bin/bash", "-c");
    String script = String.valueOf(command.get(2));
    assertThat(script)
        .contains("/exports *(rw,fsid=0,insecure,root_squash,no_subtree_check)")
        .contains("rpc.nfsd", "rpc.mountd", "exportfs -r", "trap ")
        .doesNotContain("index.html")
        .doesNotContain("cp ")
        .doesNotContainPattern("> */exports");
    assertThat(
            NfsServer.create().objects(new RecipeContext("dev", "devkube", Profile.CLASSIC)).all())
        .element(1)
        .satisfies(c -> assertThat(c.get("spec.template.spec.containers[0].command")).isNull());
    assertThat(server.getLong("spec.template.spec.containers[0].readinessProbe.tcpSocket.port"))
        .isEqualTo(2049L);
    assertThat(server.getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/exports");
    assertThat(server.getString("spec.template.spec.volumes[0].persistentVolumeClaim.claimName"))
        .isEqualTo("nfs-pvc");
    assertThat(server.getString("spec.template.metadata.labels.role")).isEqualTo("nfs-server");
    assertThat(service.getString("spec.type")).isEqualTo("ClusterIP");
    assertThat(service.get("spec.clusterIP")).isNull();
    assertThat(service.getList("spec.ports"))
        .extracting(p -> ((Map<?, ?>) p).get("name") + ":" + ((Map<?, ?>) p).get("port"))
        .containsExactly("nfs:2049", "mountd:20048", "rpcbind:111");
    assertThat(
            NfsServer.create()
                .storageClass(null)
                .objects(CONTEXT)
                .all()
                .get(0)
                .get("spec.storageClassName"))
        .isNull();
    assertThatThrownBy(() -> NfsServer.create().size("lots"))
        .hasMessage(
            "NFS volume size \"lots\" is not a quantity: use a number with a unit, such as 1Gi or 500Mi");
    for (String empty : List.of("0Gi", "0", "0.0Mi")) {
      assertThatThrownBy(() -> NfsServer.create().size(empty))
          .hasMessage(
              "NFS volume size \"" + empty + "\" is empty: use a size above zero, such as 1Gi");
    }
    assertThat(NfsServer.create().size("0.5Gi").size()).isEqualTo("0.5Gi");
  }

  @Test
  void sshdMountsTheShareUnprivilegedWithTheKeys() {
    List<KubeObject> ssh = SshServer.create().objects(CONTEXT, SHARE, KEYS).all();
    assertThat(ssh)
        .extracting(KubeObject::kind)
        .containsExactly("Secret", "Secret", "ConfigMap", "Deployment", "Service");
    KubeObject secret = ssh.get(1);
    KubeObject server = ssh.get(3);
    KubeObject service = ssh.get(4);

    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(secret.getString("data.authorizedkeys")),
                UTF_8))
        .isEqualTo(KEYS.get(0) + "\n" + KEYS.get(1) + "\n");
    assertThat(server.get("spec.template.spec.containers[0].securityContext.privileged")).isNull();
    assertThat(server.getString("spec.template.spec.volumes[0].nfs.server"))
        .isEqualTo("10.96.0.10");
    assertThat(server.getString("spec.template.spec.volumes[0].nfs.path")).isEqualTo("/");
    assertThat(server.getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/mnt/nfs");
    assertThat(server.getString("spec.template.spec.containers[0].image"))
        .doesNotEndWith(":latest")
        .contains(":");
    assertThat(service.getLong("spec.ports[0].port")).isEqualTo(22L);
    assertThat(service.getLong("spec.ports[0].nodePort")).isEqualTo(30022L);
    assertThat(service.getLong("spec.ports[0].targetPort")).isEqualTo(2222L);
    assertThatThrownBy(() -> SshServer.create().nodePort(22))
        .hasMessage(
            "node port 22 is outside 30000-32767, the range Kubernetes allows for NodePort Services");
  }

  @Test
  void nginxServesTheShareReadOnly() {
    List<KubeObject> web = WebServer.create().nodePort(31080).objects(CONTEXT, SHARE).all();

    assertThat(web.get(0).getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/usr/share/nginx/html");
    assertThat(web.get(0).get("spec.template.spec.containers[0].volumeMounts[0].readOnly"))
        .isEqualTo(true);
    assertThat(web.get(0).getString("spec.template.spec.containers[0].resources.requests.cpu"))
        .isEqualTo("50m");
    assertThat(web.get(1).getLong("spec.ports[0].nodePort")).isEqualTo(31080L);
    assertThat(web.get(1).getString("spec.selector.role")).isEqualTo("web-server");
  }

  @Test
  void theClassicProfileKeepsTheOriginalImagesAndKeyWiring() {
    RecipeContext classic = new RecipeContext("default", "devkube", Profile.CLASSIC);
    List<KubeObject> objects = all(classic);

    assertThat(objects.get(1).getString("spec.template.spec.containers[0].image"))
        .isEqualTo("janeczku/nfs-ganesha:latest");
    assertThat(
            objects.get(1).getString("spec.template.spec.containers[0].volumeMounts[0].mountPath"))
        .isEqualTo("/data/nfs");
    assertThat(objects.get(4).getString("spec.template.spec.containers[0].image"))
        .isEqualTo("kubernetesio/sshd-jumpserver");
    assertThat(objects.get(4).getString("spec.template.spec.containers[0].env[0].name"))
        .isEqualTo("PUBLIC_KEY");
    assertThat(
            objects
                .get(4)
                .getString("spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key"))
        .isEqualTo("authorizedkeys");
    assertThat(objects.get(6).getString("spec.template.spec.containers[0].image"))
        .isEqualTo("nginx:latest");
    assertThat(objects.get(5).getLong("spec.ports[0].targetPort")).isEqualTo(22L);
  }

  @Test
  void sshKeysOfEachKindAreAccepted() {
    assertThat(
            SshKeys.parse(
                Keys.ed25519("x")
                    + "\n# comment\n\n"
                    + Keys.key("ecdsa-sha2-nistp256", 65, "y")
                    + "\n"
                    + Keys.key("ssh-rsa", 270, "z"),
                "keys"))
        .hasSize(3);
    assertThatThrownBy(() -> SshKeys.parse("ssh-dss AAAA x", "keys"))
        .hasMessage(
            "keys line 1 is a DSA (ssh-dss) key, which is not supported: OpenSSH no longer"
                + " accepts DSA keys; create an ed25519 key with ssh-keygen -t ed25519");
    assertThatThrownBy(
            () -> SshKeys.parse("from=\"10.0.0.0/8\",no-pty " + Keys.ed25519("x"), "keys"))
        .hasMessage(
            "keys line 1 starts with authorized_keys options (from=\"10.0.0.0/8\",no-pty), which"
                + " are not supported: give the key alone, starting with its type, such as"
                + " \"ssh-ed25519 AAAAC3... you@host\"");
    assertThatThrownBy(() -> SshKeys.parse("hello world", "keys"))
        .hasMessage(
            "keys line 1 is not an ssh public key: expected one of ssh-ed25519,"
                + " ecdsa-sha2-nistp256/384/521 or ssh-rsa, then the key");
  }
}
