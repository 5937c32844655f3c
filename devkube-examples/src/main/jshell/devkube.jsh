// devkube's interactive session: `kube` plus the original scripts' verbs.
// Start it with devkube-examples/jshell.sh (it builds the class path), then try:
//   deployNfs(); deploySsh(); deployWeb(); nodeIps(); ppk("apps/v1", "Deployment"); ppk("v1", "Service");
//   deployIde(); deployToolbox(); deployPostgres(); deployRedis(); status(); teardown();
//   sh("toolbox", "ls /mnt/nfs"); upload("site", "www"); var web = forward("web"); logs(); verify();
import dev.devkube.*;
import dev.devkube.k8s.*;
import dev.devkube.recipes.*;
import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.*;
import java.util.*;
import java.time.Duration;

boolean simulated = false;
/** Where the session's cluster is: -Ddevkube.kubeconfig, CreateCluster's folder, your kubeconfig, or a fake. */
KubeClient devkubeConnect() {
  Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
  Path saved = Path.of(".devkube", "devkube", "kubeconfig");
  String given = System.getProperty("devkube.kubeconfig");
  if (given != null || Files.isRegularFile(saved)) {
    Path path = given != null ? Path.of(given) : saved;
    System.out.println("kube: " + path);
    return KubeClient.fromKubeconfig(path, null);
  }
  if (System.getenv("KUBECONFIG") != null || Files.isRegularFile(home)) {
    System.out.println("kube: KUBECONFIG or ~/.kube/config");
    return KubeClient.fromKubeconfig();
  }
  System.out.println("kube: no cluster configured, so a FakeKubernetes: every address is simulated");
  simulated = true;
  return KubeClient.connect(FakeKubernetes.builder().storageClasses("do-block-storage").start().credentials());
}

KubeClient kube = devkubeConnect();
/** Change these before deploying to use another namespace, size or key. */
String namespace = "default";
Duration timeout = Duration.ofMinutes(5);

RecipeContext context() { return new RecipeContext(namespace, "devkube", Profile.DEFAULT); }

/** Your public key (~/.ssh/id_ed25519.pub, id_ecdsa.pub or id_rsa.pub); on the fake, a throwaway one without. */
String publicKey() throws Exception {
  Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
  for (String file : new String[] {"id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"}) {
    if (Files.isRegularFile(ssh.resolve(file))) return Files.readString(ssh.resolve(file));
  }
  if (simulated) return dev.devkube.examples.Demo.demoPublicKey();
  throw new IllegalStateException("no public key in " + ssh + ": run ssh-keygen -t ed25519, or set sshKeys");
}
String sshKeys = null;

/** The builder the deploy verbs share; each verb adds its part. */
DevEnvironment.Builder environment() {
  try {
    return DevEnvironment.in(kube).namespace(namespace).timeout(timeout)
        .sshKeys(sshKeys != null ? sshKeys : publicKey());
  } catch (RuntimeException e) {
    throw e;
  } catch (Exception e) {
    throw new IllegalStateException(e.getMessage(), e);
  }
}

/** Node addresses: the ExternalIPs, as the original's get_node_ips(). */
List<String> nodeIps() {
  List<String> ips = new ArrayList<>();
  for (KubeObject node : kube.resources("v1", "Node").list()) {
    for (Object a : node.getList("status.addresses")) {
      Map<?, ?> address = (Map<?, ?>) a;
      if ("ExternalIP".equals(address.get("type"))) ips.add(String.valueOf(address.get("address")));
    }
  }
  return ips;
}

void applyAll(List<KubeObject> objects) {
  for (KubeObject object : objects) kube.resource(object).apply();
}

void awaitAvailable(KubeObject deployment) {
  kube.resource(deployment).waitUntil(Conditions.deploymentAvailable(), timeout);
}

/** The share, once deployNfs() made it: the NFS Service's cluster IP. */
NfsShare nfsShare() {
  KubeObject service = kube.resource(KubeObject.of("v1", "Service", "nfs-service").namespace(namespace)).get()
      .orElseThrow(() -> new IllegalStateException("no NFS server in " + namespace + ": deployNfs() first"));
  return new NfsShare(service.getString("spec.clusterIP"), "/");
}

/** The original's deploy_nfs(): claim, server, Service and access policy; waits until it serves. */
NfsShare deployNfs() {
  NfsServer nfs = NfsServer.create();
  NfsServer.Objects objects = nfs.objects(context());
  applyAll(objects.all());
  KubeObject policy;
  try {
    kube.resolve("cilium.io/v2", "CiliumNetworkPolicy");   // Cilium (DOKS): nodes are entities
    policy = nfs.ciliumAccessPolicy(context());
  } catch (dev.devkube.k8s.UnknownKindException e) {        // elsewhere: the nodes' addresses
    List<String> internal = new ArrayList<>();
    for (KubeObject node : kube.resources("v1", "Node").list()) {
      for (Object a : node.getList("status.addresses")) {
        if ("InternalIP".equals(((Map<?, ?>) a).get("type"))) internal.add(String.valueOf(((Map<?, ?>) a).get("address")));
      }
    }
    policy = nfs.accessPolicy(context(), internal);
  }
  kube.resource(policy).apply();
  awaitAvailable(objects.deployment());
  NfsShare share = nfsShare();
  System.out.println("nfs running in cluster on " + share.server());
  return share;
}

/** The original's deploy_ssh(). */
void deploySsh() throws Exception {
  SshServer.Objects ssh = SshServer.create()
      .objects(context(), nfsShare(), List.of((sshKeys != null ? sshKeys : publicKey()).strip().split("\n")));
  // The host key is made once: replacing it would change the key users have checked.
  if (kube.resource(ssh.hostKeys()).get().isEmpty()) kube.resource(ssh.hostKeys()).create();
  applyAll(ssh.applied());
  awaitAvailable(ssh.deployment());
  List<String> quoted = new ArrayList<>();
  nodeIps().forEach(ip -> quoted.add("'" + ip + "'"));
  System.out.println("ssh accessible on port 30022 on IPs " + quoted);
}

/** The original's deploy_web(). */
void deployWeb() {
  WebServer.Objects web = WebServer.create().objects(context(), nfsShare());
  applyAll(web.all());
  awaitAvailable(web.deployment());
  System.out.println("web server accessible at http://" + nodeIps().get(0) + ":30080");
}

/** The environment the verbs below reach into: the last one deployed here, else the base one. */
DevEnvironment lastEnv = null;
DevEnvironment env() {
  if (lastEnv == null) lastEnv = environment().deploy(ProgressListener.none());
  return lastEnv;
}
DevEnvironment remember(DevEnvironment env) { lastEnv = env; return env; }

/** The whole environment with every part, as DevEnvironment deploys it; returns the access points. */
DevEnvironment deployAll() {
  return remember(environment().ide().toolbox().postgres().redis().deploy(ProgressListener.none()));
}

/** The IDE (code-server, password in Secret ide-password), with the rest of the environment. */
IdeAccess deployIde() {
  IdeAccess ide = remember(environment().ide().deploy(ProgressListener.none())).ide().orElseThrow();
  System.out.println("IDE accessible at " + ide.url() + " while forward(\"ide\", 3000) runs; password: idePassword()");
  return ide;
}

/** The password of the IDE, read from its Secret: only when you ask for it. */
String idePassword() {
  KubeObject secret = kube.resource(KubeObject.of("v1", "Secret", "ide-password").namespace(namespace)).get().orElseThrow();
  return new String(java.util.Base64.getDecoder().decode(secret.getString("data.password")));
}

ToolboxAccess deployToolbox() { return remember(environment().toolbox().deploy(ProgressListener.none())).toolbox().orElseThrow(); }
DataService deployPostgres() { return remember(environment().postgres().deploy(ProgressListener.none())).postgres().orElseThrow(); }
DataService deployRedis() { return remember(environment().redis().deploy(ProgressListener.none())).redis().orElseThrow(); }

/** Runs a shell command in a part ("ssh", "web", "ide", "toolbox", "postgres", "redis", "nfs"), through the API server. */
int sh(String part, String command) {
  ExecResult result = env().exec(Part.valueOf(part.toUpperCase()), "sh", "-c", command);
  System.out.print(result.stdout());
  System.out.print(result.stderr());
  return result.exitCode();
}
/** Copies a local file or folder into the share's folder dir ("" for its root). */
void upload(String local, String dir) {
  env().share().upload(Path.of(local), dir);
  System.out.println("uploaded " + local + " into the share's " + (dir.isEmpty() ? "root" : dir));
}
/** Copies the share's file or folder to a local path. */
void download(String path, String local) { env().share().download(path, Path.of(local)); }
/** A loopback port to a part (web, ide, ...), through the API server; close() it when done. */
PortForward forward(String part, int localPort) {
  PortForward forward = env().forward(Part.valueOf(part.toUpperCase()), localPort);
  System.out.println(part + " at " + forward.url() + " (close() to stop)");
  return forward;
}
/** As forward(part, port) on any free port. */
PortForward forward(String part) { return forward(part, 0); }
/** Every part's recent log lines, merged in time order. */
void logs() { System.out.print(env().logs()); }
/** The end-to-end check, one line per check. */
VerifyReport verify() {
  VerifyReport report = env().verify();
  System.out.print(report);
  return report;
}

/** The object as the server has it, as YAML; the server's managedFields only when asked. */
void printObject(KubeObject object, boolean managedFields) {
  KubeObject named = object.namespace() == null ? object.namespace(namespace) : object;
  System.out.print(kube.resource(named).get()
      .map(o -> (managedFields ? o : o.remove("metadata.managedFields")).toYaml())
      .orElse(named.kind() + " " + named.name() + " does not exist\n"));
}
/** The original's ppo(object): the object as the server has it, as YAML, without managedFields (as kubectl get -o yaml). */
void ppo(KubeObject object) { printObject(object, false); }
/** ppo(object) with the server's managedFields (who set which field). */
void ppoManaged(KubeObject object) { printObject(object, true); }
/** The original's ppk(kind): every object of a kind in the namespace, as YAML. */
void ppk(String apiVersion, String kind) {
  for (KubeObject o : kube.resources(apiVersion, kind).inNamespace(namespace).list()) System.out.print("---\n" + o.remove("metadata.managedFields").toYaml());
}

/** Every part of the environment that exists (found by its labels); jshell shows it as a small table. Needs no ssh key. */
EnvironmentStatus status() { return DevEnvironment.in(kube).namespace(namespace).status(); }
int teardown() { return DevEnvironment.in(kube).namespace(namespace).teardown(true); }
