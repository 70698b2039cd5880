#!/usr/bin/env bash
# Assembles the root filesystem the container image adds on top of an empty ("scratch") base: a jlink'ed
# Java runtime holding only the modules Tributary uses, the C libraries that runtime links against (taken
# from this machine), and a minimal /etc, /tmp and data directory. No base image is pulled from anywhere.
set -euo pipefail

root=${1:?usage: build-runtime.sh OUTPUT_DIR}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

# From `jdeps --print-module-deps --ignore-missing-deps --multi-release 17 tributary.jar`, plus what is
# reached only by reflection or service loading: TLS key exchange (jdk.crypto.ec), OS and process metrics
# (jdk.management), JNDI DNS (jdk.naming.dns), the zip file system some plugins use (jdk.zipfs), and the
# HTTP client of the HTTP sink connector and of connector plugins (java.net.http).
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,\
java.security.sasl,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

rm -rf "$root"
mkdir -p "$root/opt" "$root/etc" "$root/tmp" "$root/var/lib/tributary/data"
"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
    --strip-debug --no-man-pages --no-header-files --compress=2

# Every shared library the runtime's launcher and native libraries load, with the dynamic loader itself.
libs=$( { ldd "$root/opt/java/bin/java"; find "$root/opt/java" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
    | grep -o '/[^ ]*\.so[^ ]*' | sort -u)
# Netty's native epoll library, which it unpacks from its jar at run time, also links against libdl and librt
# (stubs since glibc 2.34, but still looked up): without them sockets would fall back to Java NIO.
libc_dir=$(dirname "$(grep -m1 '/libc\.so\.6$' <<<"$libs")")
for stub in libdl.so.2 librt.so.1; do
    [ -e "$libc_dir/$stub" ] && libs+=$'\n'"$libc_dir/$stub"
done
for lib in $libs; do
    if [ -e "$lib" ] && [[ "$lib" != "$root"* ]]; then
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    fi
done
# Name lookups (InetAddress) need nsswitch and the loader's search path for nss modules built into libc.
cat > "$root/etc/nsswitch.conf" <<'NSS'
passwd: files
group: files
hosts: files dns
NSS
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
tributary:x:1000:0:Tributary:/var/lib/tributary:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
GROUP
echo "runtime root ready in $root ($(du -sh "$root" | cut -f1))"
