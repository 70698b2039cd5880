#!/usr/bin/env bash
# Builds the container image as a tar (server/target/tributary-image.tar) without a Docker daemon and
# without pulling a base image: load it with `docker load -i` or `podman load -i`, or push it with skopeo.
set -euo pipefail
cd "$(dirname "$0")/.."

image/build-runtime.sh server/target/image-root
mvn -B -q package -DskipTests jib:buildTar
echo "image: server/target/tributary-image.tar ($(du -h server/target/tributary-image.tar | cut -f1))"
