#!/usr/bin/env bash
# Runs the image built by image/build.sh the way a container runtime would, without one: its layers are
# unpacked in order into a root filesystem, and its entrypoint runs there under chroot as the image's
# user with the image's environment. A Kafka client then creates a topic, produces and consumes through
# it, and the broker must stop cleanly on SIGTERM. Needs root (chroot, mounting /proc).
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-server/target/tributary-image.tar}
cli="java -jar server/target/tributary.jar"
port=${SMOKE_PORT:-29092}
work=$(mktemp -d)
rootfs="$work/rootfs"
pid=""

cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" || true; fi
    umount "$rootfs/proc" 2>/dev/null || true
    umount "$rootfs/dev" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$rootfs"
tar -xf "$image" -C "$work"
# Layers in manifest order, each over the previous, as a runtime stacks them.
python3 - "$work" > "$work/layers" <<'PY'
import json, sys
for layer in json.load(open(sys.argv[1] + "/manifest.json"))[0]["Layers"]:
    print(layer)
PY
while read -r layer; do tar --warning=no-unknown-keyword -xzf "$work/$layer" -C "$rootfs"; done < "$work/layers"

# Entrypoint, user, working dir and environment exactly as the image declares them.
python3 - "$work" > "$work/run.env" <<'PY'
import json, shlex, sys
config = json.load(open(sys.argv[1] + "/" + json.load(open(sys.argv[1] + "/manifest.json"))[0]["Config"]))["config"]
print("IMAGE_USER=" + shlex.quote(config["User"]))
print("IMAGE_WORKDIR=" + shlex.quote(config["WorkingDir"]))
print("IMAGE_ENTRYPOINT=(" + " ".join(shlex.quote(a) for a in config["Entrypoint"]) + ")")
print("IMAGE_ENV=(" + " ".join(shlex.quote(e) for e in config["Env"]) + ")")
PY
# shellcheck disable=SC1091
source "$work/run.env"

# A container runtime provides these three.
cp /etc/resolv.conf /etc/hosts /etc/hostname "$rootfs/etc/" 2>/dev/null || true
mkdir -p "$rootfs/proc" "$rootfs/dev"
mount -t proc proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"

echo "starting the image's entrypoint as $IMAGE_USER in $IMAGE_WORKDIR"
chroot_bin=$(command -v chroot)
# The image's environment only (env -i), with the listeners moved to a loopback test port.
env -i "${IMAGE_ENV[@]}" TRIBUTARY_LISTENERS="PLAINTEXT://127.0.0.1:$port" \
    TRIBUTARY_MQTT_LISTENERS= TRIBUTARY_HTTP_LISTENERS= TRIBUTARY_CONNECT_LISTENERS= \
    "$chroot_bin" --userspec="$IMAGE_USER" "$rootfs" "${IMAGE_ENTRYPOINT[@]}" > "$work/broker.log" 2>&1 &
pid=$!

for _ in $(seq 1 120); do
    grep -q "started" "$work/broker.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/broker.log"; echo "FAIL: the broker in the image exited"; exit 1; }
    sleep 0.5
done
grep -q "started" "$work/broker.log" || { cat "$work/broker.log"; echo "FAIL: no start-up line"; exit 1; }
if [ "$(uname -m)" = x86_64 ] && grep -q "native epoll transport is not available" "$work/broker.log"; then
    cat "$work/broker.log"; echo "FAIL: the image's sockets fell back to Java NIO"; exit 1
fi

$cli topics create smoke -p 2 -b "127.0.0.1:$port" > /dev/null
printf 'a:1\nb:2\nc:3\n' | $cli produce smoke -k : -b "127.0.0.1:$port" > /dev/null
consumed=$($cli consume smoke --from-beginning -n 3 --print-key -b "127.0.0.1:$port" | sort | tr '\t\n' '= ')
if [ "$consumed" != "a=1 b=2 c=3 " ]; then
    echo "FAIL: consumed '$consumed'"; exit 1
fi
# The data landed in the image's data directory, owned by the image's user.
ls "$rootfs/var/lib/tributary/data" | grep -q '^smoke-0$' || { echo "FAIL: no smoke-0 in the data dir"; exit 1; }

kill -TERM "$pid"
wait "$pid" || true
grep -q "Tributary stopped" "$work/broker.log" || { cat "$work/broker.log"; echo "FAIL: no clean stop"; exit 1; }
echo "image smoke test passed: ran as $IMAGE_USER, produced and consumed 3 records, stopped cleanly"
