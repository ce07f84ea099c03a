#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Refreshes the seed corpora of the fuzz targets from the real test server:
#   tests/fuzz/capture-corpus.sh BUILD_DIR
# It starts BUILD_DIR/tests/server/epsimo-test-server --demo twice (live shape and
# reference shape), signs in as the demo user with curl, and saves what the server
# really sends: the JSON objects of every resource (one object per file, for the
# models), the SSE bodies of runs in both dialects (plain, tool call, search) and the
# markdown of the replies. Loopback only.
set -euo pipefail

build=${1:?usage: capture-corpus.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
server="$build/tests/server/epsimo-test-server"
out="$here/corpus"
scratch=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

command -v curl >/dev/null && command -v jq >/dev/null || {
  echo "capture-corpus.sh needs curl and jq" >&2
  exit 1
}

# start DIALECT: sets base to the URL of a new demo server (not in a subshell, so the
# server is stopped on exit).
start() {
  local dialect=$1 log="$scratch/$1.out" i
  "$server" --demo --port 0 --dialect "$dialect" --stream-delay 0 >"$log" 2>&1 &
  pids+=($!)
  for i in $(seq 1 100); do
    if head -n 1 "$log" 2>/dev/null | grep -q '^http://127\.0\.0\.1:'; then break; fi
    sleep 0.05
  done
  base=$(head -n 1 "$log")
}

mkdir -p "$out"/{sse-parser,run-stream-live,run-stream-reference,models,markdown}

n=0
# save_objects TAG: every object of the JSON read on stdin (an object, an array, or an
# object holding arrays) into corpus/models/TAG-N.json.
save_objects() {
  local tag=$1 json i=0
  json=$(cat)
  while IFS= read -r line; do
    printf '%s' "$line" >"$out/models/$tag-$i.json"
    i=$((i + 1))
  done < <(printf '%s' "$json" | jq -c '
      if type == "array" then .[]
      elif type == "object" and ([.[] | arrays] | length) > 0 and has("project_id") | not
        then (., (.[] | arrays | .[] | objects))
      else . end')
}

capture() {
  local dialect=$1 tok ptok project assistant thread hdr
  start "$dialect"
  tok=$(curl -sf -X POST -H 'Content-Type: application/json' \
        -d '{"email":"demo@epsimo.test","password":"epsimo-demo"}' "$base/auth/login" \
        | tee "$scratch/login.json" | jq -r .access_token)
  save_objects "$dialect-login" <"$scratch/login.json"
  hdr="Authorization: Bearer $tok"
  curl -sf -H "$hdr" "$base/auth/thread-info" | save_objects "$dialect-thread-info"
  curl -sf -H "$hdr" "$base/projects/" | tee "$scratch/projects.json" \
    | save_objects "$dialect-projects"
  project=$(jq -r '.[0].project_id' "$scratch/projects.json")
  ptok=$(curl -sf -H "$hdr" "$base/projects/$project" | tee "$scratch/project.json" \
         | jq -r '.access_token // .token // .jwt_token')
  save_objects "$dialect-project" <"$scratch/project.json"
  hdr="Authorization: Bearer $ptok"
  curl -sf -H "$hdr" "$base/assistants/" | tee "$scratch/assistants.json" \
    | save_objects "$dialect-assistants"
  assistant=$(jq -r '.[0].assistant_id' "$scratch/assistants.json")
  curl -sf -H "$hdr" "$base/threads/" | tee "$scratch/threads.json" \
    | save_objects "$dialect-threads"
  thread=$(jq -r 'if type == "array" then .[0].thread_id else .threads[0].thread_id end' \
           "$scratch/threads.json")
  curl -sf -H "$hdr" "$base/threads/$thread" | save_objects "$dialect-thread" || true
  # The runs go to a new thread: the live `values` events carry the whole history.
  thread=$(curl -sf -H "$hdr" -H 'Content-Type: application/json' \
           -d "$(jq -nc --arg a "$assistant" \
                 '{name: "Seeds", assistant_id: $a, metadata: {type: "thread"}}')" \
           "$base/threads/" | tee "$scratch/thread.json" | jq -r .thread_id)
  save_objects "$dialect-new-thread" <"$scratch/thread.json"

  if [ "$dialect" = reference ]; then
    curl -sf -H "$hdr" "$base/threads/$thread/messages" | save_objects "$dialect-messages"
    curl -sf -H "$hdr" "$base/files/" | save_objects "$dialect-files"
    curl -sf -H "$hdr" "$base/credits/balance" | save_objects "$dialect-balance"
    local i=0 text
    for text in "Hello there" "remember colour = {\"name\": \"teal\"}" "search gnome apps"; do
      curl -sfN -H "$hdr" -H 'Accept: text/event-stream' -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg m "$text" '{message: $m, stream: true}')" \
        "$base/threads/$thread/run" >"$out/run-stream-reference/run-$i.sse"
      cp "$out/run-stream-reference/run-$i.sse" "$out/sse-parser/reference-$i.sse"
      i=$((i + 1))
    done
    curl -sf -H "$hdr" "$base/threads/$thread/messages" | save_objects "$dialect-run-messages"
    curl -sf -H "$hdr" "$base/threads/$thread/messages" \
      | jq -c '(if type == "array" then . else .messages end) | .[] | .content | strings' \
      >"$scratch/contents.jsonl"
    i=0
    while IFS= read -r line; do
      printf '%s' "$line" | jq -j . >"$out/markdown/reply-$i.md"
      i=$((i + 1))
    done <"$scratch/contents.jsonl"
  else
    curl -sf -H "$hdr" "$base/threads/$thread/state" | save_objects "$dialect-state" || true
    local i=0 text
    for text in "Hello there" "remember colour = {\"name\": \"teal\"}" "search gnome apps"; do
      curl -sfN -H "$hdr" -H 'Accept: text/event-stream' -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg t "$thread" --arg a "$assistant" --arg m "$text" \
              '{thread_id: $t, assistant_id: $a,
                input: [{role: "user", content: $m, type: "human"}],
                stream_mode: ["messages", "values"]}')" \
        "$base/runs/stream" >"$out/run-stream-live/run-$i.sse"
      cp "$out/run-stream-live/run-$i.sse" "$out/sse-parser/live-$i.sse"
      i=$((i + 1))
    done
  fi
}

capture both
capture reference

# Only small files: big seeds slow every run of a target down. A long live stream (its
# text is cumulative) keeps its first 16 KiB, a stream cut off: a good seed too.
find "$out" -type f -size +16k -print0 | while IFS= read -r -d '' f; do
  head -c 16384 "$f" >"$f.tmp" && mv "$f.tmp" "$f"
done
echo "Corpora in $out:"
for d in "$out"/*/; do echo "  $(basename "$d"): $(find "$d" -type f | wc -l) files"; done
