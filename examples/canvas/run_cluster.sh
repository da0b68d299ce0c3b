#!/usr/bin/env bash
# make run-canvas-cluster: a redis-server (no persistence, files in DIR) on a
# free port and two httpcore-canvas instances on it, on PORT_A and PORT_B.
# Ctrl-C (or either process ending) stops all three.
#
#   run_cluster.sh CANVAS_BIN HOST PORT_A PORT_B DIR
set -euo pipefail
bin=$1 host=$2 port_a=$3 port_b=$4
# Absolute: redis-server enters --dir before it opens --logfile.
dir=$(mkdir -p "$5" && cd "$5" && pwd)
redis_port=$(/usr/bin/python3 -c \
  'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
  --logfile "$dir/redis.log" --daemonize no &
pids+=($!)
for _ in $(seq 100); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
redis-cli -p "$redis_port" ping >/dev/null || { echo "redis-server did not start" >&2; exit 1; }
for port in "$port_a" "$port_b"; do
  "$bin" --host "$host" --port "$port" --redis "redis://127.0.0.1:$redis_port" &
  pids+=($!)
done
echo "canvas cluster: redis-server on 127.0.0.1:$redis_port (log: $dir/redis.log);" \
  "open http://$host:$port_a/ and http://$host:$port_b/ (Ctrl-C stops)"
wait -n
