#!/usr/bin/env bash
# The HTTP gateway driven with curl, the way a shell script or a device would use it.
#   http-curl-test.sh http://127.0.0.1:8080
# Exits non-zero with a message at the first answer that is not what the API promises.
set -euo pipefail
BASE="${1:?usage: $0 BASE_URL}"
V2=application/vnd.kafka.v2+json
TEXT=application/vnd.kafka.text.v2+json
BINARY=application/vnd.kafka.binary.v2+json
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() {  # expect_status WANT METHOD PATH [curl args...]
  local want="$1" method="$2" path="$3"; shift 3
  local got
  got="$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$BASE$path")"
  [ "$got" = "$want" ] || fail "$method $path answered $got, expected $want: $(cat "$WORK/body")"
}
body_has() { grep -q -- "$1" "$WORK/body" || fail "body lacks $1: $(cat "$WORK/body")"; }

expect_status 200 GET /health/ready
expect_status 201 POST /admin/topics -H "Content-Type: $V2" -d '{"topic_name":"curl-topic","partitions_count":1}'

expect_status 200 POST /topics/curl-topic -H "Content-Type: $TEXT" \
  -d '{"records":[{"key":"sensor-1","value":"21.5"},{"key":"sensor-2","value":"19.0"}]}'
body_has '"offset":0'
body_has '"offset":1'
expect_status 200 POST /topics/curl-topic -H "Content-Type: application/json" -d '{"temp":22}'
body_has '"offset":2'
expect_status 200 POST /topics/curl-topic/partitions/0 -H "Content-Type: $BINARY" \
  -d "{\"records\":[{\"value\":\"$(printf 'raw bytes' | base64)\"}]}"
body_has '"offset":3'

expect_status 200 GET /topics
body_has '"curl-topic"'
expect_status 200 GET /topics/curl-topic/partitions/0/offsets
body_has '"end_offset":4'

# A consumer instance reads the first two records back as text.
expect_status 200 POST /consumers/curl-group -H "Content-Type: $V2" \
  -d '{"name":"c1","format":"text","auto.offset.reset":"earliest","auto.commit.enable":"false"}'
body_has '"base_uri"'
INSTANCE=/consumers/curl-group/instances/c1
expect_status 204 POST "$INSTANCE/subscription" -H "Content-Type: $V2" -d '{"topics":["curl-topic"]}'
found=0
for _ in $(seq 1 20); do
  expect_status 200 GET "$INSTANCE/records?timeout=1000" -H "Accept: $TEXT"
  if grep -q '"value":"19.0"' "$WORK/body"; then found=1; break; fi
done
[ "$found" = 1 ] || fail "the consumer instance never returned the records"
expect_status 204 POST "$INSTANCE/offsets" -H "Content-Type: $V2"
expect_status 204 DELETE "$INSTANCE"
expect_status 404 DELETE "$INSTANCE"
body_has '"error_code":40403'

# The live stream from the beginning, as Server-Sent Events (curl stops it after a few seconds).
curl -s -N --max-time 3 "$BASE/topics/curl-topic/stream?from=earliest" > "$WORK/sse" || true
grep -q '^id: 0:0|0:1$' "$WORK/sse" || fail "no first event in the stream: $(head -c 500 "$WORK/sse")"
grep -q '"value":"21.5"' "$WORK/sse" || fail "the stream lacks the first record"

# Client mistakes.
expect_status 415 POST /topics/curl-topic -H "Content-Type: text/plain" -d 'hello'
expect_status 422 POST /topics/curl-topic -H "Content-Type: $BINARY" -d '{"records":[{"value":"*not base64*"}]}'
body_has '"error_code":42205'
expect_status 404 GET /topics/no-such-topic
body_has '"error_code":40401'

echo "curl test passed"
