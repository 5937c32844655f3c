// Drives FakeDigitalOcean with dots-wrapper, a DigitalOcean client no one here wrote, and prints
// one line per step: "<step> ok <detail>" or "<step> error <status> <message>".
// Usage: node drive-fake-digitalocean.cjs <base URL ending in /v2> <token>
const { createApiClient } = require('dots-wrapper');

const [endpoint, token] = process.argv.slice(2);
const client = createApiClient({ endpoint, token, requestTimeoutInMs: 10000 });
const k8s = client.kubernetes;

async function step(name, action) {
  try {
    const detail = await action();
    console.log(`${name} ok ${detail ?? ''}`.trim());
    return true;
  } catch (e) {
    const status = e.response ? e.response.status : 'none';
    const message = e.response && e.response.data ? e.response.data.message : e.message;
    console.log(`${name} error ${status} ${message}`);
    return false;
  }
}

(async () => {
  let cluster;
  let pool;
  await step('account', async () => (await client.account.getAccount()).data.account.status);
  await step('options', async () =>
    (await k8s.listAvailableOptionsOfKubernetes()).data.options.versions.length);
  await step('create', async () => {
    cluster = (await k8s.createKubernetesCluster({
      name: 'peer', region: 'sfo2', version: 'latest',
      node_pools: [{ name: 'devpool', size: 's-2vcpu-4gb', count: 2 }],
    })).data.kubernetes_cluster;
    return cluster.status.state;
  });
  await step('get', async () =>
    (await k8s.getKubernetesCluster({ kubernetes_cluster_id: cluster.id })).data.kubernetes_cluster.name);
  await step('list', async () =>
    (await k8s.listKubernetesClusters({ page: 1, per_page: 20 })).data.kubernetes_clusters.length);
  await step('pool-without-count', async () =>
    (await k8s.createNodePool({ kubernetes_cluster_id: cluster.id, name: 'bad', size: 's-2vcpu-4gb' }))
      .status);
  await step('get-after-bad-pool', async () =>
    (await k8s.getKubernetesCluster({ kubernetes_cluster_id: cluster.id })).status);
  await step('pool-add', async () => {
    pool = (await k8s.createNodePool({
      kubernetes_cluster_id: cluster.id, name: 'more', size: 's-2vcpu-4gb', count: 1,
      labels: { tier: 'db' }, tags: ['mine'],
    })).data.node_pool;
    return pool.nodes.length;
  });
  await step('pool-update', async () => {
    const updated = (await k8s.updateNodePool({
      kubernetes_cluster_id: cluster.id, node_pool_id: pool.id, name: 'more', count: 2,
    })).data.node_pool;
    return `${updated.count} ${updated.nodes.length} ${JSON.stringify(updated.labels)}`;
  });
  await step('pool-get', async () =>
    (await k8s.getNodePool({ kubernetes_cluster_id: cluster.id, node_pool_id: pool.id })).data.node_pool.name);
  await step('pools', async () =>
    (await k8s.listNodePools({ kubernetes_cluster_id: cluster.id })).data.node_pools.length);
  await step('node-replace', async () => {
    const node = (await k8s.getNodePool({ kubernetes_cluster_id: cluster.id, node_pool_id: pool.id }))
      .data.node_pool.nodes[0];
    return (await k8s.deleteNode({
      kubernetes_cluster_id: cluster.id, node_pool_id: pool.id, node_id: node.id, replace_node: true,
    })).status;
  });
  await step('credentials', async () => {
    const credentials = (await k8s.getKubernetesClusterCredentials({
      kubernetes_cluster_id: cluster.id, expiration_in_seconds: 300,
    })).data;
    return Math.round((Date.parse(credentials.expires_at) - Date.now()) / 1000) <= 300;
  });
  await step('upgrades', async () =>
    (await k8s.listKubernetesClusterAvailableUpgrades({ kubernetes_cluster_id: cluster.id }))
      .status);
  await step('upgrade-unknown', async () =>
    (await k8s.upgradeKubernetesCluster({ kubernetes_cluster_id: cluster.id, version: '9.99.0-do.0' }))
      .status);
  await step('pool-delete', async () =>
    (await k8s.deleteNodePool({ kubernetes_cluster_id: cluster.id, node_pool_id: pool.id })).status);
  await step('delete', async () =>
    (await k8s.deleteKubernetesCluster({ kubernetes_cluster_id: cluster.id })).status);
  await step('get-deleted', async () =>
    (await k8s.getKubernetesCluster({ kubernetes_cluster_id: cluster.id })).status);
})();
