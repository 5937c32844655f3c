"""Scenarios of the official Kubernetes Python client against FakeKubernetes.

Run by PythonClientConformanceTest: python3 scenarios.py <admin kubeconfig> <limited user kubeconfig>.
Prints one line per scenario, "PASS <name>" or "FAIL <name>: <why>", and exits 1 if any failed.
"""
import json
import sys
import time

from kubernetes import client, config, dynamic, watch
from kubernetes.stream import portforward, stream
from kubernetes.client.rest import ApiException

admin = config.new_client_from_config(sys.argv[1])
limited = config.new_client_from_config(sys.argv[2])
core = client.CoreV1Api(admin)
apps = client.AppsV1Api(admin)
NS = "py"
failures = []


def scenario(function):
    try:
        function()
        print("PASS", function.__name__, flush=True)
    except Exception as error:  # report every failure, then go on
        failures.append(function.__name__)
        print("FAIL", function.__name__ + ":", type(error).__name__, str(error)[:500], flush=True)
    return function


def refused(status, call):
    try:
        call()
    except ApiException as error:
        assert error.status == status, "expected %d, got %d: %s" % (status, error.status, error.body)
        return json.loads(text(error.body))
    raise AssertionError("expected %d, the call succeeded" % status)


def text(body):
    return body.decode("utf-8") if isinstance(body, bytes) else body


def raw(method, path, body=None, query=None, content_type="application/json", accept="application/json"):
    if body is not None and content_type != "application/json":
        body = json.dumps(body)  # this client version sends other media types only as text
    data, status, headers = admin.call_api(
        path, method, query_params=query or [], body=body,
        header_params={"Content-Type": content_type, "Accept": accept},
        auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=False)
    return status, json.loads(data.data), headers


@scenario
def typed_crud_and_optimistic_concurrency():
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    created = core.create_namespaced_config_map(
        NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"a": "b"}))
    assert created.metadata.uid and created.metadata.resource_version
    patched = core.patch_namespaced_config_map("settings", NS, {"data": {"c": "d"}})
    assert patched.data == {"a": "b", "c": "d"}, patched.data
    stale = core.read_namespaced_config_map("settings", NS)
    stale.metadata.resource_version = created.metadata.resource_version
    body = refused(409, lambda: core.replace_namespaced_config_map("settings", NS, stale))
    assert body["reason"] == "Conflict", body
    assert "the object has been modified" in body["message"], body


@scenario
def errors_carry_the_servers_status():
    body = refused(404, lambda: core.read_namespaced_pod("missing", NS))
    assert body["message"] == 'pods "missing" not found', body
    assert body["details"] == {"name": "missing", "kind": "pods"}, body
    body = refused(409, lambda: core.create_namespaced_config_map(
        NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"))))
    assert body["reason"] == "AlreadyExists", body
    body = refused(422, lambda: core.create_namespaced_config_map(
        NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="Not_Valid"))))
    assert body["details"]["causes"][0]["field"] == "metadata.name", body
    body = refused(404, lambda: core.create_namespaced_config_map(
        "nowhere", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="x"))))
    assert body["message"] == 'namespaces "nowhere" not found', body


@scenario
def deployment_watch_until_available():
    apps.create_namespaced_deployment(NS, {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}})
    stream = watch.Watch()
    for event in stream.stream(apps.list_namespaced_deployment, NS, timeout_seconds=30):
        if (event["object"].status.available_replicas or 0) == 2:
            stream.stop()
            break
    else:
        raise AssertionError("web never became available")
    pods = core.list_namespaced_pod(NS, label_selector="app=web").items
    assert len(pods) == 2 and all(p.status.phase == "Running" for p in pods), pods
    assert all(p.metadata.owner_references[0].kind == "ReplicaSet" for p in pods)
    deployment = apps.read_namespaced_deployment("web", NS)
    assert deployment.spec.strategy.type == "RollingUpdate"
    assert deployment.metadata.annotations["deployment.kubernetes.io/revision"] == "1"


@scenario
def scale_and_status_subresources():
    scale = apps.patch_namespaced_deployment_scale("web", NS, {"spec": {"replicas": 3}})
    assert scale.spec.replicas == 3 and scale.status.selector == "app=web", scale
    status = apps.read_namespaced_deployment_status("web", NS)
    assert status.status.conditions, status.status
    refused(404, lambda: core.read_namespaced_config_map_status("settings", NS)
            if hasattr(core, "read_namespaced_config_map_status")
            else raw("GET", "/api/v1/namespaces/%s/configmaps/settings/status" % NS))


@scenario
def dynamic_client_and_server_side_apply():
    configmaps = dynamic.DynamicClient(admin).resources.get(api_version="v1", kind="ConfigMap")
    assert configmaps.get(name="settings", namespace=NS).data["a"] == "b"
    path = "/api/v1/namespaces/%s/configmaps/owned" % NS
    apply = "application/apply-patch+yaml"
    first = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "owned"}, "data": {"k": "one"}}
    status, body, _ = raw("PATCH", path, first, [("fieldManager", "alice")], apply)
    assert status == 201 and body["metadata"]["managedFields"][0]["manager"] == "alice", body
    second = dict(first, data={"k": "two"})
    try:
        raw("PATCH", path, second, [("fieldManager", "bob")], apply)
        raise AssertionError("bob's apply did not conflict")
    except ApiException as error:
        conflict = json.loads(text(error.body))
        assert error.status == 409, error.status
        assert 'conflict with "alice"' in conflict["message"] and ".data.k" in conflict["message"], conflict
    status, body, _ = raw("PATCH", path, second, [("fieldManager", "bob"), ("force", "true")], apply)
    assert status == 200 and body["data"]["k"] == "two", body


@scenario
def field_validation_dry_run_and_tables():
    path = "/api/v1/namespaces/%s/configmaps" % NS
    typo = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "typo"}, "dta": {}}
    try:
        raw("POST", path, typo, [("fieldValidation", "Strict")])
        raise AssertionError("Strict accepted an unknown field")
    except ApiException as error:
        message = json.loads(text(error.body))["message"]
        assert error.status == 400 and message.endswith('strict decoding error: unknown field "dta"'), message
    status, body, headers = raw("POST", path, typo, [("fieldValidation", "Warn"), ("dryRun", "All")])
    assert status == 201 and "dta" not in body, body
    assert 'unknown field \\"dta\\"' in headers.get("Warning", ""), headers
    names = [c.metadata.name for c in core.list_namespaced_config_map(NS).items]
    assert "typo" not in names, names
    status, table, _ = raw("GET", "/api/v1/namespaces/%s/pods" % NS,
                           accept="application/json;as=Table;v=v1;g=meta.k8s.io")
    assert table["kind"] == "Table", table
    assert [c["name"] for c in table["columnDefinitions"]][:5] == ["Name", "Ready", "Status", "Restarts", "Age"]


@scenario
def events_logs_and_version():
    assert any(e.reason == "Scheduled" for e in core.list_namespaced_event(NS).items)
    pod = core.list_namespaced_pod(NS).items[0].metadata.name
    assert core.read_namespaced_pod_log(pod, NS) == ""
    assert client.VersionApi(admin).get_code().git_version == "v1.36.0"


@scenario
def a_log_names_its_container_when_the_pod_has_several():
    core.create_namespaced_pod(NS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pair"},
                                    "spec": {"initContainers": [{"name": "prepare", "image": "busybox:1.37"}],
                                             "containers": [{"name": "app", "image": "nginx:1.27"},
                                                            {"name": "proxy", "image": "nginx:1.27"}]}})
    status = refused(400, lambda: core.read_namespaced_pod_log("pair", NS))
    assert status["reason"] == "BadRequest", status
    assert status["message"] == \
        "a container name must be specified for pod pair, choose one of: [prepare app proxy]", status
    assert core.read_namespaced_pod_log("pair", NS, container="proxy") == ""
    status = refused(400, lambda: core.read_namespaced_pod_log("pair", NS, container="db"))
    assert status["message"] == "container db is not valid for pod pair", status


@scenario
def a_limited_user_gets_403():
    body = None
    try:
        client.CoreV1Api(limited).list_namespaced_pod("default")
    except ApiException as error:
        assert error.status == 403, error.status
        body = json.loads(text(error.body))
    assert body and body["reason"] == "Forbidden", body
    assert body["message"] == ('pods is forbidden: User "dev" cannot list resource "pods" in API group "" '
                               'in the namespace "default"'), body
    client.CoreV1Api(limited).list_namespaced_pod("team")
    review = client.AuthorizationV1Api(limited).create_self_subject_access_review(
        client.V1SelfSubjectAccessReview(spec=client.V1SelfSubjectAccessReviewSpec(
            resource_attributes=client.V1ResourceAttributes(namespace="team", verb="create", resource="pods"))))
    assert review.status.allowed is True, review.status


@scenario
def exec_and_port_forward_over_websockets():
    core.create_namespaced_pod(NS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "box"},
                                    "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]}})
    for _ in range(300):
        if core.read_namespaced_pod("box", NS).status.phase == "Running":
            break
        time.sleep(0.1)
    out = stream(core.connect_get_namespaced_pod_exec, "box", NS,
                 command=["sh", "-c", "echo hi; echo page > /usr/share/nginx/html/index.html"],
                 stderr=True, stdin=False, stdout=True, tty=False)
    assert out == "hi\n", repr(out)
    failing = stream(core.connect_get_namespaced_pod_exec, "box", NS, command=["sh", "-c", "exit 5"],
                     stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
    failing.run_forever(timeout=30)
    assert failing.returncode == 5, failing.returncode
    forward = portforward(core.connect_get_namespaced_pod_portforward, "box", NS, ports="80")
    sock = forward.socket(80)
    sock.setblocking(True)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: box\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    sock.close()
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"page\n"), data


@scenario
def deleting_a_namespace_terminates_it():
    status, namespace, _ = raw("DELETE", "/api/v1/namespaces/" + NS)
    assert status == 200 and namespace["status"]["phase"] == "Terminating", namespace
    assert namespace["metadata"]["deletionTimestamp"], namespace
    for _ in range(300):
        try:
            core.read_namespace(NS)
        except ApiException as error:
            assert error.status == 404, error.status
            break
        time.sleep(0.1)
    else:
        raise AssertionError("namespace %s was never deleted" % NS)


print("%d failed" % len(failures), flush=True)
sys.exit(1 if failures else 0)
