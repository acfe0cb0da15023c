{{/* Name of an object of this release: "<release>-<suffix>", or "<suffix>" when the release is named vigil. */}}
{{- define "vigil.name" -}}
{{- $root := index . 0 -}}{{- $suffix := index . 1 -}}
{{- if eq $root.Release.Name "vigil" -}}vigil-{{ $suffix }}{{- else -}}{{ $root.Release.Name }}-vigil-{{ $suffix }}{{- end -}}
{{- end -}}

{{/* Labels of every object; the component's name is also Prometheus's job label (vigil-<component>). */}}
{{- define "vigil.labels" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
app.kubernetes.io/name: vigil-{{ $component }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/part-of: vigil
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ $root.Chart.Name }}-{{ $root.Chart.Version }}
{{- end -}}

{{- define "vigil.selector" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
app.kubernetes.io/name: vigil-{{ $component }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end -}}

{{- define "vigil.image" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
{{ $root.Values.image.registry }}vigil-{{ $component }}:{{ (index $root.Values $component).imageTag | default $root.Values.image.tag }}
{{- end -}}

{{- define "vigil.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{ .Values.kafka.strimzi.clusterName }}-kafka-bootstrap:{{ .Values.kafka.strimzi.port }}
{{- else -}}
{{ required "kafka.existing.bootstrapServers is required with kafka.mode=existing" .Values.kafka.existing.bootstrapServers }}
{{- end -}}
{{- end -}}

{{/* KAFKA_* variables (io.vigil.schemas.topics.KafkaConnection) of one service. */}}
{{- define "vigil.kafkaEnv" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
{{- $k := $root.Values.kafka -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "vigil.kafkaBootstrap" $root | quote }}
# Partitions of the patient topics a service creates when missing (an existing Kafka without them).
- name: VIGIL_TOPIC_PARTITIONS
  value: {{ $root.Values.topics.partitions | quote }}
{{- if eq $k.mode "strimzi" }}
- name: KAFKA_SECURITY_PROTOCOL
  value: SASL_SSL
- name: KAFKA_SASL_MECHANISM
  value: SCRAM-SHA-512
- name: KAFKA_SASL_USERNAME
  value: {{ include "vigil.name" (list $root $component) | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.name" (list $root $component) }}
      key: password
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/vigil/kafka-ca/ca.p12
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PKCS12
- name: KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.strimzi.clusterName }}-cluster-ca-cert
      key: ca.password
{{- else }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ $k.existing.securityProtocol | quote }}
{{- $creds := index $k.existing.credentialsSecrets $component }}
{{- if $creds }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $k.existing.saslMechanism | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $creds }}
      key: username
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $creds }}
      key: password
{{- end }}
{{- if $k.existing.truststoreSecret }}
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/vigil/kafka-ca/truststore.p12
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PKCS12
- name: KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.existing.truststoreSecret }}
      key: truststore.password
{{- end }}
- name: KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM
  value: {{ $k.existing.endpointIdentificationAlgorithm | quote }}
{{- end }}
{{- if $root.Values.tls.enabled }}
- name: VIGIL_TLS_ENABLED
  value: "true"
- name: VIGIL_TLS_KEYSTORE
  value: /etc/vigil/tls/keystore.p12
- name: VIGIL_TLS_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "tls.keystoreSecret is required with tls.enabled" $root.Values.tls.keystoreSecret }}
      key: keystore.password
{{- end }}
{{- end -}}

{{/* Volumes every service mounts: Kafka's CA, the TLS key store, /tmp. */}}
{{- define "vigil.commonVolumes" -}}
{{- $k := .Values.kafka -}}
- name: tmp
  emptyDir: {}
{{- if eq $k.mode "strimzi" }}
- name: kafka-ca
  secret:
    secretName: {{ $k.strimzi.clusterName }}-cluster-ca-cert
    items:
      - key: ca.p12
        path: ca.p12
{{- else if $k.existing.truststoreSecret }}
- name: kafka-ca
  secret:
    secretName: {{ $k.existing.truststoreSecret }}
    items:
      - key: truststore.p12
        path: truststore.p12
{{- end }}
{{- if .Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ .Values.tls.keystoreSecret }}
    items:
      - key: keystore.p12
        path: keystore.p12
{{- end }}
{{- end -}}

{{- define "vigil.commonMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if or (eq .Values.kafka.mode "strimzi") .Values.kafka.existing.truststoreSecret }}
- name: kafka-ca
  mountPath: /etc/vigil/kafka-ca
  readOnly: true
{{- end }}
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: /etc/vigil/tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* Liveness and readiness on the service's own health paths: (list root livenessPath readinessPath). */}}
{{- define "vigil.probes" -}}
{{- $root := index . 0 -}}
{{- $scheme := ternary "HTTPS" "HTTP" $root.Values.tls.enabled -}}
startupProbe:
  httpGet:
    path: {{ index . 1 }}
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: {{ index . 1 }}
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
readinessProbe:
  httpGet:
    path: {{ index . 2 }}
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
{{- end -}}

{{- define "vigil.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{- define "vigil.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The platforms' API keys (ingest and scoring) as a volume and its mount. */}}
{{- define "vigil.apiKeysVolume" -}}
- name: api-keys
  secret:
    secretName: {{ .Values.secrets.apiKeys }}
    items:
      - key: api-keys.tsv
        path: api-keys.tsv
{{- end -}}

{{- define "vigil.apiKeysMount" -}}
- name: api-keys
  mountPath: /etc/vigil/api-keys
  readOnly: true
{{- end -}}

{{/* Nurse sessions: the JWT secret alerts signs with and scoring verifies with. */}}
{{- define "vigil.sessionEnv" -}}
- name: VIGIL_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.jwt }}
      key: jwt-secret
- name: VIGIL_DEFAULT_TENANT
  value: {{ .Values.defaultTenant | quote }}
{{- end -}}
