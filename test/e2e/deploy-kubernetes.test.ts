import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@closewatch/collector';
import { kubernetesProblems } from './support/kubernetes-schema.js';

const manifestPath = new URL('../../deploy/kubernetes/closewatch.yaml', import.meta.url);

// The fields of the manifests these tests read; kubernetesProblems checks each manifest against its full schema.
interface ManifestOf<Kind extends string> {
  apiVersion: string;
  kind: Kind;
  metadata: { name: string; labels?: Record<string, string> };
}

type Labels = Record<string, string>;

interface HttpProbe {
  httpGet: { path: string; port?: number | string };
}

interface Container {
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe: HttpProbe;
  livenessProbe: HttpProbe;
  resources: Record<'requests' | 'limits', { cpu?: string; memory?: string }>;
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } };
}

interface Deployment extends ManifestOf<'Deployment'> {
  spec: {
    replicas: number;
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels };
      spec: { securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Container[] };
    };
  };
}

interface Service extends ManifestOf<'Service'> {
  spec: { selector: Labels; ports: Array<{ targetPort: number | string }> };
}

interface PodDisruptionBudget extends ManifestOf<'PodDisruptionBudget'> {
  spec: { selector: { matchLabels: Labels }; minAvailable: number };
}

interface HorizontalPodAutoscaler extends ManifestOf<'HorizontalPodAutoscaler'> {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: Array<{ resource: { name: string } }>;
  };
}

interface ConfigMap extends ManifestOf<'ConfigMap'> {
  data: Record<string, string>;
}

interface Secret extends ManifestOf<'Secret'> {
  stringData: Record<string, string>;
}

type Manifest = Deployment | Service | PodDisruptionBudget | HorizontalPodAutoscaler | ConfigMap | Secret;

function manifests(): Manifest[] {
  const documents = parseAllDocuments(readFileSync(manifestPath, 'utf8'));
  for (const document of documents) assert.deepEqual(document.errors, [], 'valid YAML');
  return documents.map((document) => document.toJS() as Manifest);
}

function byKind<Kind extends Manifest['kind']>(kind: Kind): Extract<Manifest, { kind: Kind }> {
  const found = manifests().filter((manifest): manifest is Extract<Manifest, { kind: Kind }> => manifest.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0];
}

describe('deploy/kubernetes', () => {
  test('every manifest passes the Kubernetes API schema of its kind, with no unknown field', () => {
    const all = manifests();
    assert.deepEqual(all.map((manifest) => manifest.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    for (const manifest of all) assert.deepEqual(kubernetesProblems(manifest), [], `${manifest.kind} ${manifest.metadata.name}`);
  });

  test('the schema check fails on what a typo or a wrong type would do', () => {
    const deployment = byKind('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const typo = structuredClone(deployment);
    const misspelt = { ...container, readinesProbe: container.readinessProbe };
    typo.spec.template.spec.containers[0] = misspelt;
    assert.deepEqual(kubernetesProblems(typo), ['unknown field spec.template.spec.containers.0.readinesProbe']);
    const wrongType = structuredClone(deployment);
    Object.assign(wrongType.spec, { replicas: 'two' });
    assert.match(kubernetesProblems(wrongType).join('\n'), /spec\/replicas must be integer/);
    const noPort = structuredClone(deployment);
    delete noPort.spec.template.spec.containers[0].readinessProbe.httpGet.port;
    assert.match(kubernetesProblems(noPort).join('\n'), /readinessProbe\/httpGet must have required property port/);
  });

  test('the Deployment: ≥2 replicas, readiness on /readyz, liveness on /healthz, requests and limits, non-root, read-only root filesystem', () => {
    const deployment = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    assert.ok(deployment.spec.replicas >= 2);
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    for (const kind of ['requests', 'limits'] as const) {
      assert.ok(container.resources[kind].cpu && container.resources[kind].memory, `${kind} for cpu and memory`);
    }
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    assert.deepEqual(container.args, ['start']);
    const port = container.ports.find((p) => p.name === 'http');
    assert.equal(port?.containerPort, 4318);
  });

  test('the Service, the PodDisruptionBudget and the HorizontalPodAutoscaler point at the Deployment’s pods', () => {
    const deployment = byKind('Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    assert.ok(matches(deployment.spec.selector.matchLabels));
    const service = byKind('Service');
    assert.ok(matches(service.spec.selector));
    assert.equal(service.spec.ports[0].targetPort, 'http');
    const budget = byKind('PodDisruptionBudget');
    assert.ok(matches(budget.spec.selector.matchLabels));
    assert.ok(budget.spec.minAvailable >= 1 && budget.spec.minAvailable < deployment.spec.replicas, 'a drain can proceed and one pod keeps serving');
    const autoscaler = byKind('HorizontalPodAutoscaler');
    assert.deepEqual(autoscaler.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    assert.ok(autoscaler.spec.minReplicas >= 2 && autoscaler.spec.maxReplicas > autoscaler.spec.minReplicas);
    assert.equal(autoscaler.spec.metrics[0].resource.name, 'cpu');
  });

  test('the pod’s environment (ConfigMap + Secret) is a configuration the collector accepts: beyond loopback, on PostgreSQL', () => {
    const deployment = byKind('Deployment');
    const configMap = byKind('ConfigMap');
    const secret = byKind('Secret');
    const sources = deployment.spec.template.spec.containers[0].envFrom;
    assert.deepEqual(sources, [{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    assert.deepEqual(Object.keys(secret.stringData).sort(), ['CLOSEWATCH_ADMIN_TOKEN', 'CLOSEWATCH_DATABASE_URL', 'CLOSEWATCH_INGEST_KEYS']);
    const config = loadConfig({ env: { ...configMap.data, ...secret.stringData }, flags: {} });
    assert.equal(config.host, '0.0.0.0');
    assert.match(config.databaseUrl ?? '', /^postgres:\/\//);
    assert.equal(config.adminToken, null, 'left empty, writes stay refused until a real token is set');
  });
});
